import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../shared/domain-error';
import { decideActivities } from './index';

const memberId = '0190a000-0000-7000-8000-000000000001';
const now = '2026-06-30T12:00:00.000Z';

test('activities inside the window become one event each', () => {
  const events = decideActivities({ type: 'RecordActivities', now, items: [
    { memberId, type: 'login', occurredAt: '2026-05-26T12:00:00.000Z' },
    { memberId, type: 'event.attended', occurredAt: '2026-06-30T12:04:59.000Z' },
  ] });
  assert.equal(events.map((e) => e.data.activityType), ['login', 'event.attended']);
});

test('older than 35 days or more than 5 minutes ahead refuses the whole batch, naming each item', () => {
  try {
    decideActivities({ type: 'RecordActivities', now, items: [
      { memberId, type: 'login', occurredAt: '2026-05-25T11:59:59.000Z' },
      { memberId, type: 'login', occurredAt: '2026-06-30T12:00:00.000Z' },
      { memberId, type: 'login', occurredAt: '2026-06-30T12:05:01.000Z' },
    ] });
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, DomainError);
    assert.equal((error as DomainError).fieldErrors.map((e) => e.path), ['items.0.occurredAt', 'items.2.occurredAt']);
  }
});

test.run();
