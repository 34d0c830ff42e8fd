import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { createTestAnalyticsStore } from '../../infra/analytics/test-analytics-store';
import { clickHouseAnalytics } from '../../projectors/analytics/analytics-projection';
import { insertAnalyticsRows } from '../../projectors/runtime/analytics-batch';
import { revenueFixture } from './revenue-fixture';
import { readMrrAt, readRevenue } from './revenue-query';

// Every figure below is computed by hand from revenue-fixture.ts (one member per rule, see there).
const test = suite<{ store: AnalyticsStore }>('MRR movements per change (DESIGN.md §7) on a hand-computed data set, through chDB');
const fixture = revenueFixture();
const { tenantId } = fixture;
test.before(async (context) => {
  context.store = await createTestAnalyticsStore();
  await insertAnalyticsRows(context.store, fixture.events, clickHouseAnalytics);
});
test.after(async ({ store }) => store.close());

const month = (m: string, mrr: number, n: number, exp: number, con: number, churn: number, react: number, netMrrChurn: number | null, quickRatio: number | null) => ({
  month: m, mrrCents: mrr, newCents: n, expansionCents: exp, contractionCents: con, churnCents: churn, reactivationCents: react, netMrrChurn, quickRatio,
});

// January: new a 1000 + b 3000 + c 1000 + d 4000 + f 1200 + h 500; contraction b 1000; churn a 1000.
//   MRR 0 → 8700 (b 2000, c 1000, d 4000, f 1200, h 500). Start 0: net churn null; quick 10700 / 2000.
// February: new e 2000 + g 800; expansion c 1500; churn f 1200 (lapse) + g 800. d's scheduled
//   downgrade, its renewal, f past due, h suspended: nothing. MRR 11000.
//   Net (2000 - 1500) / 8700 = 0.05747; quick 4300 / 2000.
// March: new j 600; reactivation f 1200 (reinstated); contraction d 2500 (the scheduled downgrade
//   applied); churn e 2000 (period ended) + j 600 (lapse; its later cancellation churns nothing).
//   MRR 7700. Net (2600 + 2500 - 1200) / 11000 = 0.35454; quick 1800 / 5100 = 0.35294.
// April: reactivation g 900 (a new subscription after a cancellation). MRR 8600. Net -900 / 7700; quick null.
// May: nothing. MRR 8600, net 0 / 8600 = 0, quick null.
const expectedMonths = [
  month('2026-01', 8700, 10700, 0, 1000, 1000, 0, null, 5.35),
  month('2026-02', 11000, 2800, 1500, 0, 2000, 0, 0.0575, 2.15),
  month('2026-03', 7700, 600, 0, 2500, 2600, 1200, 0.3545, 0.3529),
  month('2026-04', 8600, 0, 0, 0, 0, 900, -0.1169, null),
  month('2026-05', 8600, 0, 0, 0, 0, 0, 0, null),
];

test('each month: movements recorded per change, ratios, nulls where a denominator is 0', async ({ store }) => {
  const revenue = await readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-05-31', currency: 'EUR' });
  assert.equal(revenue.months, expectedMonths);
  // Over the window: MRR at its start is 0 (net churn null); quick (14100 + 1500 + 2100) / (5600 + 3500).
  assert.equal([revenue.currency, revenue.netMrrChurn, revenue.quickRatio], ['EUR', null, 1.9451]);
});

test('a month\'s movements sum to its MRR change', async ({ store }) => {
  const { months } = await readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-05-31', currency: 'EUR' });
  let before = 0;
  for (const m of months) {
    assert.is(m.mrrCents, before + m.newCents + m.expansionCents + m.reactivationCents - m.contractionCents - m.churnCents, m.month);
    before = m.mrrCents;
  }
});

test('a window starting later: MRR at its start (end of January, 8700) is the net churn\'s denominator', async ({ store }) => {
  const revenue = await readRevenue(store, { tenantId, from: '2026-02-01', to: '2026-04-30', currency: 'EUR' });
  assert.equal(revenue.months, expectedMonths.slice(1, 4));
  // (churn 4600 + contraction 2500 - expansion 1500 - reactivation 2100) / 8700; (3400 + 1500 + 2100) / 7100.
  assert.equal([revenue.netMrrChurn, revenue.quickRatio], [0.4023, 0.9859]);
});

test('one currency at a time: USD sees only its own member', async ({ store }) => {
  const revenue = await readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-03-31', currency: 'USD' });
  assert.equal(revenue.months, [
    month('2026-01', 0, 0, 0, 0, 0, 0, null, null),
    month('2026-02', 700, 700, 0, 0, 0, 0, null, null),
    month('2026-03', 700, 0, 0, 0, 0, 0, 0, null),
  ]);
  assert.equal([revenue.netMrrChurn, revenue.quickRatio], [null, null]);
});

test('MRR at the end of a day (the overview\'s): 2026-03-06, after f is reinstated and before d\'s downgrade', async ({ store }) => {
  // b 2000 + c 2500 + d 4000 + f 1200 + h 500 + j 600; e churned on 03-01.
  assert.is(await readMrrAt(store, { tenantId, day: '2026-03-06', currency: 'EUR' }), 10800);
  assert.is(await readMrrAt(store, { tenantId, day: '2026-03-08', currency: 'EUR' }), 8300);
});

test('the events projected again (a redelivered batch, a replay) give the same hand-computed figures', async ({ store }) => {
  await insertAnalyticsRows(store, fixture.events, clickHouseAnalytics);
  await insertAnalyticsRows(store, fixture.events.filter((event) => event.type !== 'MemberRegistered').slice(5, 20), clickHouseAnalytics);
  const revenue = await readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-05-31', currency: 'EUR' });
  assert.equal(revenue.months, expectedMonths);
  assert.is(await readMrrAt(store, { tenantId, day: '2026-03-06', currency: 'EUR' }), 10800);
});

test('the analyst view mrr_movements lists each change once, at its instant', async ({ store }) => {
  const rows = await store.query<{ day: string; movement: string; amount_cents: number }>(`
    SELECT toString(toDate(occurred_at)) AS day, movement, amount_cents FROM mrr_movements
    WHERE tenant_id = {tenant:UUID} AND currency = 'EUR' AND occurred_at >= '2026-03-01' ORDER BY occurred_at, movement`, { tenant: tenantId });
  assert.equal(rows.map((r) => `${r.day} ${r.movement} ${r.amount_cents}`), [
    '2026-03-01 churn 2000', '2026-03-02 new 600', '2026-03-05 reactivation 1200', '2026-03-08 contraction 2500',
    '2026-03-20 churn 600', '2026-04-02 reactivation 900',
  ]);
});

test('another tenant sees none of it', async ({ store }) => {
  const other = revenueFixture().tenantId;
  const revenue = await readRevenue(store, { tenantId: other, from: '2026-01-01', to: '2026-01-31', currency: 'EUR' });
  assert.equal(revenue.months, [month('2026-01', 0, 0, 0, 0, 0, 0, null, null)]);
});

test.run();
