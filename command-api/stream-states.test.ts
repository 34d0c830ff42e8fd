import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { HttpProblem } from '../infra/http/problem';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { handleCommand, type CommandContext } from './handle-command';
import { memberDecider } from './routes/members/member-streams';
import { createStreamStates, type StreamStates } from './stream-states';

type Context = { db: TestDatabase; first: StreamStates; second: StreamStates };
const test = suite<Context>('two processes with their own stream-state caches on one store');
test.before(async (context) => {
  context.db = await createTestDatabase();
  const store = guardEventStore(createPostgresEventStore(context.db.pool), eventDefinitions);
  context.first = createStreamStates(store);
  context.second = createStreamStates(store);
});
test.after(async ({ db }) => db.drop());

const tenantId = uuidv7();
const context: CommandContext = {
  tenantId, actor: { userId: 'u', roles: ['owner'] }, correlationId: 'c', causationId: 'c', now: '2026-01-01T00:00:00.000Z', newId: uuidv7,
};

test('a stale cached state is decided again on fresh state, and If-Match is checked against the store', async ({ first, second }) => {
  const memberId = uuidv7();
  const stream = tenantStreamId('member', tenantId, memberId);
  await handleCommand(first, stream, memberDecider, {
    type: 'RegisterMember', memberId, email: 'a@example.org', firstName: 'A', lastName: 'B', membershipTypeId: null, invite: false,
  }, context);
  await second.load(stream, memberDecider); // the second process caches revision 0
  await handleCommand(first, stream, memberDecider, { type: 'SuspendMember', reason: 'x' }, context);

  // The second process still believes the member is active at revision 0.
  const reactivated = await handleCommand(second, stream, memberDecider, { type: 'ReactivateMember' }, context);
  assert.is(reactivated.revision, 2);

  const current = await handleCommand(first, stream, memberDecider, { type: 'SuspendMember', reason: 'y' }, context, 2);
  assert.is(current.revision, 3, 'If-Match "2" is current in the store although the first cache held revision 1');
  const stale = await handleCommand(second, stream, memberDecider, { type: 'ReactivateMember' }, context, 2).catch((e) => e);
  assert.instance(stale, HttpProblem);
  assert.is((stale as HttpProblem).status, 412);
});

test.run();
