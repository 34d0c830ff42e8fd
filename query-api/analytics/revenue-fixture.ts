import { v7 as uuidv7 } from 'uuid';
import { fixtureLog } from './fixture-log';
import { tenantStreamId } from '../../infra/event-store/stream-name';

/**
 * A tenant whose MRR movements are computed by hand in revenue-definitions.test.ts: one member
 * per sentence of DESIGN.md §7's revenue definitions, 2026-01 to 2026-04, EUR cents (one member
 * in USD). Every event at 10:00 UTC of its day.
 */
export function revenueFixture(tenantId = uuidv7()) {
  const log = fixtureLog(tenantId);
  const { events } = log;
  const append = (memberId: string, type: string, day: string, data: unknown) =>
    log.append(tenantStreamId('member', tenantId, memberId), type, day, data);
  const terms = (day: string, monthlyAmountCents: number, currency = 'EUR', billing = 'manual') => ({
    billing, membershipTypeId: uuidv7(), interval: 'month', amountCents: monthlyAmountCents, monthlyAmountCents, currency,
    periodStart: `${day}T10:00:00.000Z`, periodEnd: `${day}T10:00:00.000Z`,
  });
  const member = (name: string) => {
    const id = uuidv7();
    append(id, 'MemberRegistered', '2026-01-01', { memberId: id, email: `${name}@example.org`, firstName: name, lastName: 'L', membershipTypeId: null, status: 'active' });
    return id;
  };
  const [a, b, c, d, e, f, g, h, i, j] = [member('a'), member('b'), member('c'), member('d'), member('e'), member('f'), member('g'), member('h'), member('i'), member('j')];

  // a: started and cancelled in January: new 1000 and churn 1000 in January.
  append(a, 'SubscriptionStarted', '2026-01-05', terms('2026-01-05', 1000));
  append(a, 'SubscriptionCancelled', '2026-01-25', { reason: 'requested' });
  // b: started at 3000, downgraded at once to 2000: new 3000 and contraction 1000 in January.
  append(b, 'SubscriptionStarted', '2026-01-10', terms('2026-01-10', 3000));
  append(b, 'SubscriptionPlanChanged', '2026-01-20', terms('2026-01-20', 2000));
  // c: 1000 in January, upgraded to 2500 in February: expansion 1500.
  append(c, 'SubscriptionStarted', '2026-01-15', terms('2026-01-15', 1000));
  append(c, 'SubscriptionPlanChanged', '2026-02-03', terms('2026-02-03', 2500));
  // d: 4000; a downgrade to 1500 scheduled in February applies at the period's end in March.
  append(d, 'SubscriptionStarted', '2026-01-08', terms('2026-01-08', 4000));
  append(d, 'SubscriptionRenewed', '2026-02-08', { periodStart: '2026-02-08T10:00:00.000Z', periodEnd: '2026-03-08T10:00:00.000Z' });
  append(d, 'SubscriptionPlanChangeScheduled', '2026-02-10', terms('2026-03-08', 1500));
  append(d, 'SubscriptionPlanChanged', '2026-03-08', terms('2026-03-08', 1500));
  // e: 2000 from February; cancellation scheduled in February, churns when the period ends (03-01).
  append(e, 'SubscriptionStarted', '2026-02-01', terms('2026-02-01', 2000));
  append(e, 'SubscriptionCancellationScheduled', '2026-02-15', { cancelAt: '2026-03-01T10:00:00.000Z' });
  append(e, 'SubscriptionCancelled', '2026-03-01', { reason: 'period-ended' });
  // f: 1200 through Stripe; past due (still counts), lapsed in February (churn), reinstated in March (reactivation).
  append(f, 'SubscriptionStarted', '2026-01-12', terms('2026-01-12', 1200, 'EUR', 'stripe'));
  append(f, 'SubscriptionPastDue', '2026-02-12', { graceEndsAt: '2026-02-20T10:00:00.000Z' });
  append(f, 'SubscriptionLapsed', '2026-02-20', { graceEndsAt: '2026-02-20T10:00:00.000Z' });
  append(f, 'SubscriptionReinstated', '2026-03-05', terms('2026-03-05', 1200, 'EUR', 'stripe'));
  // g: 800 started and cancelled in February; a new Stripe subscription of 900 in April: reactivation, not new.
  append(g, 'SubscriptionStarted', '2026-02-02', terms('2026-02-02', 800));
  append(g, 'SubscriptionCancelled', '2026-02-20', { reason: 'requested' });
  append(g, 'SubscriptionStarted', '2026-04-02', terms('2026-04-02', 900, 'EUR', 'stripe'));
  // h: 500 from January, suspended in February: still paying, still counted, no movement.
  append(h, 'SubscriptionStarted', '2026-01-20', terms('2026-01-20', 500));
  append(h, 'MemberSuspended', '2026-02-05', { reason: 'unpaid' });
  // i: pays in USD: none of the EUR figures.
  append(i, 'SubscriptionStarted', '2026-02-01', terms('2026-02-01', 700, 'USD'));
  // j: 600 in March, lapsed (churn), then cancelled in Stripe: churned once, not twice.
  append(j, 'SubscriptionStarted', '2026-03-02', terms('2026-03-02', 600));
  append(j, 'SubscriptionLapsed', '2026-03-20', { graceEndsAt: '2026-03-20T10:00:00.000Z' });
  append(j, 'SubscriptionCancelled', '2026-03-25', { reason: 'cancelled-in-stripe' });
  return { tenantId, events };
}
