/**
 * `npm run token -- --tenant <id> --role <role> [--role <role>…] [--user <id>] [--expires 12h]`
 * prints a signed JWT on stdout. A platform operator belongs to no tenant: `--role platform`
 * needs no `--tenant`. Tokens live at most 24 h. Signs with JWT_SECRET (and JWT_ISSUER /
 * JWT_AUDIENCE), or with the development secret (and a warning on stderr) when it is not set, as
 * the embedded `npm start` does.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createTokenService, platformScope, roleSchema } from '../infra/auth/jwt';
import { operatesWithoutTenant } from '../infra/auth/token-claims';
import { tokenLifetimeSeconds } from '../infra/auth/token-lifetime';
import { loadConfig } from '../infra/config/config';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    role: { type: 'string', multiple: true },
    user: { type: 'string', default: 'cli-user' },
    expires: { type: 'string', default: '12h' },
  },
});
const args = z.object({
  tenant: z.uuid({ message: '--tenant <uuid> names a tenant' }).optional(),
  role: z.array(roleSchema, { message: '--role owner|admin|staff|auditor|platform is required' }).min(1),
  user: z.string().min(1),
  expires: z.string().refine(lifetimeIsValid, '--expires like 30m or 12h, at most 24h'),
}).refine((a) => a.tenant !== undefined || operatesWithoutTenant(a.role), {
  message: '--tenant <uuid> is required for owner, admin, staff and auditor (only --role platform goes without)',
}).safeParse(values);
if (!args.success) {
  console.error(args.error.issues.map((i) => i.message).join('\n'));
  process.exit(2);
}
const config = loadConfig(process.env, { allowDevelopmentSecrets: true, secrets: ['JWT_SECRET'] });
if (config.usesDevelopmentSecrets) console.error('(signed with the development secret: JWT_SECRET is not set)');
const token = await createTokenService(config.jwtSecret, config.jwtAudience).sign(
  { userId: args.data.user, tenantId: args.data.tenant ?? platformScope, roles: args.data.role }, args.data.expires);
console.log(token);

function lifetimeIsValid(expiresIn: string) {
  try {
    return tokenLifetimeSeconds(expiresIn) > 0;
  } catch {
    return false;
  }
}
