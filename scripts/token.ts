/**
 * `npm run token -- --tenant <id> --role <role> [--role <role>…] [--user <id>] [--expires 12h]`
 * prints a signed JWT on stdout. Signs with JWT_SECRET, or with the development secret (and a
 * warning on stderr) when it is not set, as the embedded `npm start` does.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createTokenService, roleSchema } from '../infra/auth/jwt';
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
  tenant: z.uuid({ message: '--tenant <uuid> is required' }),
  role: z.array(roleSchema, { message: '--role owner|admin|staff|auditor|platform is required' }).min(1),
  user: z.string().min(1),
  expires: z.string().regex(/^\d+[smhd]$/, '--expires like 30m, 12h, 7d'),
}).safeParse(values);
if (!args.success) {
  console.error(args.error.issues.map((i) => i.message).join('\n'));
  process.exit(2);
}
const config = loadConfig(process.env, { allowDevelopmentSecrets: true });
if (config.usesDevelopmentSecrets) console.error('(signed with the development secret: JWT_SECRET is not set)');
const token = await createTokenService(config.jwtSecret).sign(
  { userId: args.data.user, tenantId: args.data.tenant, roles: args.data.role }, args.data.expires);
console.log(token);
