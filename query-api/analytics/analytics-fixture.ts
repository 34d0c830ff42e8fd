import { v7 as uuidv7 } from 'uuid';
import { fixtureLog } from './fixture-log';
import { tenantStreamId } from '../../infra/event-store/stream-name';

/**
 * A small tenant whose figures are computed by hand in analytics-definitions.test.ts (and shown by
 * the dashboard test). Five members, 2025-12 to 2026-03, prices in EUR cents, one member in USD.
 */
export function analyticsFixture(tenantId = uuidv7()) {
  const { events, append } = fixtureLog(tenantId);
  const member = { m1: uuidv7(), m2: uuidv7(), m3: uuidv7(), m4: uuidv7(), m5: uuidv7() };
  const memberStream = (id: string) => tenantStreamId('member', tenantId, id);
  const register = (id: string, day: string) => append(memberStream(id), 'MemberRegistered', day,
    { memberId: id, email: `${id}@example.org`, firstName: 'F', lastName: 'L', membershipTypeId: null, status: 'active' });
  const subscribe = (id: string, day: string, type: 'SubscriptionStarted' | 'SubscriptionPlanChanged', monthlyAmountCents: number, currency = 'EUR') =>
    append(memberStream(id), type, day, {
      membershipTypeId: uuidv7(), interval: 'month', amountCents: monthlyAmountCents, monthlyAmountCents, currency,
      periodStart: `${day}T10:00:00.000Z`, periodEnd: `${day}T10:00:00.000Z`,
    });
  const cancel = (id: string, day: string) => append(memberStream(id), 'SubscriptionCancelled', day, { reason: 'requested' });
  const activities = (id: string, day: string, count: number) => {
    const stream = tenantStreamId('activity', tenantId, uuidv7());
    for (let i = 0; i < count; i++) append(stream, 'ActivityRecorded', day, { memberId: id, activityType: 'login', occurredAt: `${day}T${String(8 + (i % 12)).padStart(2, '0')}:00:00.000Z` });
  };

  register(member.m5, '2025-12-01');
  subscribe(member.m5, '2025-12-01', 'SubscriptionStarted', 800);
  cancel(member.m5, '2025-12-20');
  register(member.m1, '2026-01-10');
  subscribe(member.m1, '2026-01-10', 'SubscriptionStarted', 1000);
  register(member.m2, '2026-01-20');
  subscribe(member.m2, '2026-01-20', 'SubscriptionStarted', 2000);
  activities(member.m5, '2026-01-15', 1);
  register(member.m3, '2026-02-05');
  subscribe(member.m3, '2026-02-05', 'SubscriptionStarted', 1500);
  subscribe(member.m2, '2026-02-10', 'SubscriptionPlanChanged', 3000);
  activities(member.m3, '2026-02-20', 1);
  activities(member.m2, '2026-03-01', 2);
  register(member.m4, '2026-03-02');
  subscribe(member.m4, '2026-03-02', 'SubscriptionStarted', 900, 'USD');
  subscribe(member.m5, '2026-03-03', 'SubscriptionStarted', 800);
  activities(member.m5, '2026-03-03', 1);
  activities(member.m1, '2026-03-05', 20);
  activities(member.m2, '2026-03-05', 3);
  append(memberStream(member.m4), 'MemberSuspended', '2026-03-06', { reason: 'unpaid' });
  activities(member.m3, '2026-03-07', 1);
  subscribe(member.m3, '2026-03-10', 'SubscriptionPlanChanged', 500);
  cancel(member.m2, '2026-03-15');
  return { tenantId, member, events };
}
