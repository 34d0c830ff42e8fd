/**
 * `npm run rebuild -- --target analytics [--tenant <id>]` rebuilds the ClickHouse tables from the
 * event store, with a progress bar, while the query API keeps serving (built aside, then swapped).
 *
 * - With CLICKHOUSE_URL (distributed): runs here, against that server and DATABASE_URL.
 * - Without (embedded): chDB's directory belongs to the running `npm start` process, so the
 *   rebuild runs there: this script starts it over the command API's operator route
 *   (COMMAND_API_URL, default http://127.0.0.1:3000; token signed with JWT_SECRET) and follows it.
 *
 * `npm run rebuild -- --target dead-letters [--projection <name>] [--id <n>…]` replays dead letters
 * (projection_dead_letters) once their cause is fixed: it asks for the replay in PostgreSQL
 * (DATABASE_URL, or the embedded server of `npm start`), the processes running those projections
 * apply them within a second or so, and it prints what became of each.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { eventDefinitions } from '../domain/event-definitions';
import { createClickHouseStore } from '../infra/analytics/clickhouse-store';
import { migrateAnalytics } from '../infra/analytics/migrate-analytics';
import { createTokenService, platformScope } from '../infra/auth/jwt';
import { loadConfig, required } from '../infra/config/config';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPool, workerStatementTimeoutMs } from '../infra/postgres/pool';
import { rebuildAnalytics } from '../projectors/analytics/rebuild-analytics';
import { listDeadLetters, requestDeadLetterReplay } from '../projectors/runtime/dead-letters';
import { createJsonClient } from './load/http-client';

const { values } = parseArgs({ options: {
  target: { type: 'string' }, tenant: { type: 'string' }, projection: { type: 'string' }, id: { type: 'string', multiple: true },
} });
const args = z.object({
  target: z.enum(['analytics', 'dead-letters'], { message: '--target analytics or --target dead-letters is required' }),
  tenant: z.uuid({ message: '--tenant takes a tenant id' }).optional(),
  projection: z.string().min(1).optional(),
  id: z.array(z.coerce.number().int().positive({ message: '--id takes a dead letter id' })).optional(),
}).safeParse(values);
if (!args.success) {
  console.error(`${args.error.issues.map((i) => i.message).join('\n')}\nusage: npm run rebuild -- --target analytics [--tenant <id>]`
    + '\n       npm run rebuild -- --target dead-letters [--projection <name>] [--id <n>]…');
  process.exit(2);
}
const tenantId = args.data.tenant;
const config = loadConfig(process.env, { allowDevelopmentSecrets: true, secrets: ['JWT_SECRET'] });
if (args.data.target === 'dead-letters') process.exit(await replayDeadLetters());
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

async function replayDeadLetters(): Promise<number> {
  // The embedded server of `npm start` as infra/postgres/embedded-postgres.ts sets it up.
  const url = config.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}/membership`;
  const pool = createPool({ connectionString: url, max: 1, applicationName: 'membership-rebuild' });
  try {
    const ids = await requestDeadLetterReplay(pool, { projection: args.data!.projection, ids: args.data!.id });
    if (ids.length === 0) {
      console.log('no dead letter waiting for a replay');
      return 0;
    }
    console.log(`replay asked for ${ids.length} dead letter(s); waiting for the projections to apply them…`);
    const deadline = Date.now() + 60_000;
    let letters = await listDeadLetters(pool, ids);
    while (letters.some((letter) => letter.replay_requested_at !== null) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      letters = await listDeadLetters(pool, ids);
    }
    for (const letter of letters) {
      const outcome = letter.replayed_at ? 'replayed' : letter.replay_requested_at ? 'still waiting (is its projection running?)' : letter.reason;
      console.log(`#${letter.id} ${letter.projection} (${letter.source} ${letter.partition}:${letter.source_offset}): ${outcome}`);
    }
    return letters.every((letter) => letter.replayed_at) ? 0 : 1;
  } finally {
    await pool.end();
  }
}

async function rebuildInRunningPlatform() {
  const client = createJsonClient(process.env.COMMAND_API_URL ?? `http://127.0.0.1:${config.COMMAND_API_PORT}`, 2);
  const token = await createTokenService(config.jwtSecret, config.jwtAudience).sign({ userId: 'rebuild-cli', tenantId: platformScope, roles: ['platform'] }, '1h');
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
