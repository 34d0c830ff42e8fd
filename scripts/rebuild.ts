/**
 * `npm run rebuild -- --target analytics [--tenant <id>]` rebuilds the ClickHouse tables from the
 * event store, with a progress bar, while the query API keeps serving (built aside, then swapped).
 *
 * - With CLICKHOUSE_URL (distributed): runs here, against that server and DATABASE_URL.
 * - Without (embedded): chDB's directory belongs to the running `npm start` process, so the
 *   rebuild runs there: this script starts it over the command API's operator route
 *   (COMMAND_API_URL, default http://127.0.0.1:3000; token signed with JWT_SECRET) and follows it.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { eventDefinitions } from '../domain/event-definitions';
import { createClickHouseStore } from '../infra/analytics/clickhouse-store';
import { migrateAnalytics } from '../infra/analytics/migrate-analytics';
import { createTokenService } from '../infra/auth/jwt';
import { loadConfig, required } from '../infra/config/config';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPool, workerStatementTimeoutMs } from '../infra/postgres/pool';
import { rebuildAnalytics } from '../projectors/analytics/rebuild-analytics';
import { createJsonClient } from './load/http-client';

const { values } = parseArgs({ options: { target: { type: 'string' }, tenant: { type: 'string' } } });
const args = z.object({
  target: z.literal('analytics', { message: '--target analytics is required (the only target so far)' }),
  tenant: z.uuid({ message: '--tenant takes a tenant id' }).optional(),
}).safeParse(values);
if (!args.success) {
  console.error(`${args.error.issues.map((i) => i.message).join('\n')}\nusage: npm run rebuild -- --target analytics [--tenant <id>]`);
  process.exit(2);
}
const tenantId = args.data.tenant;
const config = loadConfig(process.env, { allowDevelopmentSecrets: true, secrets: ['JWT_SECRET'] });
const bar = new cliProgress.SingleBar({ format: 'rebuilding analytics [{bar}] {percentage}% | position {value}/{total} | {events} events | {eta}s left' },
  cliProgress.Presets.shades_classic);

try {
  const result = config.CLICKHOUSE_URL ? await rebuildHere(config.CLICKHOUSE_URL) : await rebuildInRunningPlatform();
  bar.stop();
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  bar.stop();
  console.error(`rebuild failed: ${(error as Error).message}`);
  process.exit(1);
}

async function rebuildHere(clickHouseUrl: string) {
  const pool = createPool({ connectionString: required(config.DATABASE_URL, 'DATABASE_URL'), max: 4, applicationName: 'membership-rebuild',
    statementTimeoutMs: workerStatementTimeoutMs });
  const analytics = await createClickHouseStore({ url: clickHouseUrl });
  try {
    await migrateAnalytics(analytics);
    bar.start(1, 0, { events: 0 });
    return await rebuildAnalytics({
      events: guardEventStore(createPostgresEventStore(pool), eventDefinitions), pool, analytics, tenantId,
      onProgress: (position, head, events) => {
        bar.setTotal(head);
        bar.update(position, { events });
      },
    });
  } finally {
    await analytics.close();
    await pool.end();
  }
}

async function rebuildInRunningPlatform() {
  const client = createJsonClient(process.env.COMMAND_API_URL ?? `http://127.0.0.1:${config.COMMAND_API_PORT}`, 2);
  const token = await createTokenService(config.jwtSecret, config.jwtAudience).sign({ userId: 'rebuild-cli', tenantId: randomUUID(), roles: ['platform'] }, '1h');
  try {
    const started = await client.request('POST', '/v1/admin/rebuilds', token, { target: 'analytics', ...(tenantId ? { tenantId } : {}) });
    if (started.status !== 202) throw new Error(`the platform refused (${started.status}): ${started.body?.detail ?? JSON.stringify(started.body)}`);
    bar.start(1, 0, { events: 0 });
    for (;;) {
      const { body: job } = await client.request('GET', `/v1/admin/rebuilds/${started.body.rebuildId}`, token);
      bar.setTotal(Math.max(job.head, 1));
      bar.update(job.position, { events: job.events });
      if (job.status === 'failed') throw new Error(job.error);
      if (job.status === 'succeeded') return job;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    client.close();
  }
}
