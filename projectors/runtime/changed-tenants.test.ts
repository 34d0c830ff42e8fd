import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { clickHouseAnalytics } from '../analytics/analytics-projection';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { fixtureLog } from '../../query-api/analytics/fixture-log';
import { changedTenants } from './analytics-batch';

test('the tenants whose analytics version a batch moves on come in one order, whatever the events’ order (no deadlock between batches)', () => {
  const tenants = Array.from({ length: 6 }, () => uuidv7());
  let position = 0;
  const events = [...tenants].reverse().flatMap((tenantId) => {
    const { events: logged, append } = fixtureLog(tenantId);
    append(tenantStreamId('activity', tenantId, uuidv7()), 'ActivityRecorded', '2026-03-05',
      { memberId: uuidv7(), activityType: 'login', occurredAt: '2026-03-05T09:00:00.000Z' });
    return logged.map((event) => ({ ...event, position: ++position }));
  });
  const changed = changedTenants(events, clickHouseAnalytics);
  assert.equal(changed.tenants, [...tenants].sort());
  assert.equal(changed.positions, changed.tenants.map((tenant) => events.find((e) => e.tenantId === tenant)!.position));
});

test.run();
