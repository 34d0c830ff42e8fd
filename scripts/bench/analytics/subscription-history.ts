import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent } from '../../../infra/event-store/port';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { forEachConcurrently } from '../../load/http-client';

const day = 86_400_000;
const yearStart = Date.UTC(2025, 0, 1);
const typeA = '0190a000-0000-7000-8000-00000000a001';
const typeB = '0190a000-0000-7000-8000-00000000a002';

/**
 * Subscriptions for every other member of the analytics history, appended to their streams after
 * their registration: monthly or yearly, some upgraded or downgraded, some cancelled, some lapsed
 * and reinstated, spread over the year, so that every kind of MRR movement is in the data.
 */
export async function appendSubscriptionHistory(store: EventStore, tenantId: string, members: { memberId: string; joinedDay: number }[]) {
  let appended = 0;
  await forEachConcurrently(members.filter((_, n) => n % 2 === 0), 16, async ({ memberId, joinedDay }, n) => {
    const at = (offset: number) => new Date(yearStart + Math.min(364, joinedDay + offset) * day + n * 1000).toISOString();
    const terms = (membershipTypeId: string, monthly: number, interval: 'month' | 'year', start: string) => ({
      billing: n % 4 === 0 ? 'stripe' : 'manual', membershipTypeId, interval, amountCents: monthly * (interval === 'year' ? 12 : 1),
      monthlyAmountCents: monthly, currency: 'EUR', periodStart: start, periodEnd: new Date(Date.parse(start) + 30 * day).toISOString(),
    });
    const interval = n % 3 === 0 ? 'year' : 'month';
    const events: [string, string, unknown][] = [['SubscriptionStarted', at(1), terms(typeA, 1500, interval, at(1))]];
    if (n % 5 === 0) events.push(['SubscriptionPlanChanged', at(40), terms(typeB, 2500, interval, at(40))]);
    if (n % 7 === 0) events.push(['SubscriptionPlanChanged', at(70), terms(typeB, 900, interval, at(70))]);
    if (n % 11 === 0) events.push(['SubscriptionPastDue', at(90), { graceEndsAt: at(104) }], ['SubscriptionLapsed', at(104), { graceEndsAt: at(104) }],
      ['SubscriptionReinstated', at(130), terms(typeA, 1500, interval, at(130))]);
    if (n % 9 === 0) events.push(['SubscriptionCancelled', at(150), { reason: 'requested' }]);
    if (n % 18 === 0) events.push(['SubscriptionStarted', at(200), terms(typeA, 1500, 'month', at(200))]);
    const sorted = events.sort((a, b) => a[1].localeCompare(b[1]));
    await store.append(tenantStreamId('member', tenantId, memberId), sorted.map(([type, occurredAt, data]): NewEvent => ({
      eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt, actor: { system: 'bench' },
      correlationId: randomUUID(), causationId: randomUUID(), data,
    })), 0);
    appended += sorted.length;
  });
  return appended;
}
