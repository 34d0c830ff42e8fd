/**
 * `npm run seed -- --tenants T --members M --activities A` fills a running platform with realistic
 * data through the public command API: T tenants, each with membership types, M members (some
 * invited, suspended or deactivated, about half subscribed) and A activities over the last 30 days.
 * Reads COMMAND_API_URL (default http://127.0.0.1:3000) and JWT_SECRET like `npm run token`.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import cliProgress from 'cli-progress';
import { createTokenService, platformScope } from '../infra/auth/jwt';
import { loadConfig } from '../infra/config/config';
import { activityTypes, fakePerson } from './load/fake-people';
import { createJsonClient, forEachConcurrently, type JsonClient } from './load/http-client';

const { values } = parseArgs({ options: {
  tenants: { type: 'string', default: '3' }, members: { type: 'string', default: '200' },
  activities: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' },
} });
const [tenantCount, memberCount, activityCount, concurrency] =
  [values.tenants, values.members, values.activities, values.concurrency].map((v) => Number(v));
if ([tenantCount, memberCount, activityCount, concurrency].some((n) => !Number.isInteger(n) || n! < 0) || concurrency! < 1) {
  console.error('usage: npm run seed -- --tenants <n> --members <n per tenant> --activities <n per tenant> [--concurrency 16]');
  process.exit(2);
}

const config = loadConfig(process.env, { allowDevelopmentSecrets: true });
const tokens = createTokenService(config.jwtSecret, config.jwtAudience);
const client = createJsonClient(process.env.COMMAND_API_URL ?? `http://127.0.0.1:${config.COMMAND_API_PORT}`, concurrency! * 2);
const bar = new cliProgress.SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} requests | {eta}s left' },
  cliProgress.Presets.shades_classic);

async function must(reply: Promise<{ status: number; body: any }>, what: string) {
  const { status, body } = await reply;
  if (status >= 300) throw new Error(`${what} failed with ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function seedTenant(client: JsonClient, index: number) {
  const operator = await tokens.sign({ userId: 'seed', tenantId: platformScope, roles: ['platform'] });
  const run = randomUUID().slice(0, 8);
  const plans = ['free', 'pro', 'enterprise'] as const;
  const { tenantId } = await must(client.request('POST', '/v1/tenants', operator,
    { name: `Seeded Association ${index + 1}`, subdomain: `seed-${run}-${index}`, plan: plans[index % 3] }), 'tenant');
  const owner = await tokens.sign({ userId: 'seed', tenantId, roles: ['owner'] }, '2h');
  const types: string[] = [];
  for (const [name, cents] of [['Basic', 900], ['Standard', 1900], ['Premium', 4900]] as const) {
    types.push((await must(client.request('POST', '/v1/membership-types', owner,
      { name, monthlyPriceCents: cents, currency: 'EUR', features: ['newsletter'] }), 'type')).membershipTypeId as string);
  }
  bar.increment(4);
  const memberIds: string[] = [];
  await forEachConcurrently(Array.from({ length: memberCount! }, (_, n) => n), concurrency!, async (n) => {
    const person = fakePerson(n, run);
    const typeId = types[n % types.length]!;
    const invited = n % 10 === 9;
    const { memberId } = await must(client.request('POST', '/v1/members', owner,
      { ...person, membershipTypeId: typeId, invite: invited }), 'member');
    memberIds.push(memberId);
    bar.increment();
    if (invited) return;
    if (n % 2 === 0) {
      await must(client.request('POST', `/v1/members/${memberId}/subscription`, owner,
        { membershipTypeId: typeId, interval: n % 6 === 0 ? 'year' : 'month' }), 'subscription');
    }
    if (n % 13 === 5) await must(client.request('POST', `/v1/members/${memberId}/suspend`, owner, { reason: 'payment overdue' }), 'suspend');
    if (n % 29 === 7) await must(client.request('POST', `/v1/members/${memberId}/deactivate`, owner, { reason: 'left' }), 'deactivate');
  });
  const batches = Math.ceil(activityCount! / 1000);
  await forEachConcurrently(Array.from({ length: batches }, (_, b) => b), Math.min(4, concurrency!), async (b) => {
    const size = Math.min(1000, activityCount! - b * 1000);
    const items = Array.from({ length: size }, (_, i) => ({
      // A skewed pick: a few members are very active, most are not.
      memberId: memberIds[Math.floor(memberIds.length * Math.random() ** 2)]!,
      type: activityTypes[(b * 1000 + i) % activityTypes.length]!,
      occurredAt: new Date(Date.now() - Math.random() * 30 * 86_400_000).toISOString(),
    }));
    if (items.length > 0 && memberIds.length > 0) await must(client.request('POST', '/v1/activities', owner, { items }), 'activities');
    bar.increment();
  });
  return tenantId as string;
}

bar.start(tenantCount! * (4 + memberCount! + Math.ceil(activityCount! / 1000)), 0);
const started = Date.now();
const tenants: string[] = [];
try {
  for (let t = 0; t < tenantCount!; t++) tenants.push(await seedTenant(client, t));
} finally {
  bar.stop();
  client.close();
}
console.log(`Seeded ${tenants.length} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const tenantId of tenants) console.log(`  ${tenantId}   npm run token -- --tenant ${tenantId} --role owner`);
