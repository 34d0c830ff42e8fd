import { suite } from 'uvu';
import { v7 as uuidv7 } from 'uuid';
import * as assert from 'uvu/assert';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { createTestAnalyticsStore } from '../../infra/analytics/test-analytics-store';
import { clickHouseAnalytics } from '../../projectors/analytics/analytics-projection';
import { insertAnalyticsRows } from '../../projectors/runtime/analytics-batch';
import { analyticsFixture } from './analytics-fixture';
import { readEngagement } from './engagement-query';
import { readLifecycle } from './lifecycle-query';
import { readOverview } from './overview-query';
import { readRetention } from './retention-query';
import { readMainCurrency, readRevenue } from './revenue-query';

// The figures below are computed by hand from analytics-fixture.ts (see its timeline).
const test = suite<{ store: AnalyticsStore; tenantId: string }>('analytics definitions (DESIGN.md §7) on a hand-computed data set');
const fixture = analyticsFixture();
test.before(async (context) => {
  context.store = await createTestAnalyticsStore();
  context.tenantId = fixture.tenantId;
  await insertAnalyticsRows(context.store, fixture.events, clickHouseAnalytics);
});
test.after(async ({ store }) => store.close());

const march = { from: '2026-03-01', to: '2026-03-07' };

async function allFigures(store: AnalyticsStore, tenantId: string) {
  return Promise.all([
    readEngagement(store, { tenantId, ...march, interval: 'day' }),
    readEngagement(store, { tenantId, ...march, interval: 'week' }),
    readLifecycle(store, { tenantId, from: '2026-01-01', to: '2026-03-31', interval: 'month' }),
    readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-31', mode: 'on' }),
    readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-31', mode: 'on_or_after' }),
    readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-03-31', currency: 'EUR' }),
    readRevenue(store, { tenantId, from: '2026-02-01', to: '2026-03-31', currency: 'EUR' }),
    readOverview(store, { tenantId, today: '2026-03-20', currency: 'EUR' }),
  ]);
}

test('daily engagement: active members and activities per day, segments, DAU/WAU/MAU and stickiness', async ({ store, tenantId }) => {
  const engagement = await readEngagement(store, { tenantId, ...march, interval: 'day' });
  assert.equal(engagement.series.map((p) => [p.period, p.activeMembers, p.activities]), [
    ['2026-03-01', 1, 2], ['2026-03-02', 0, 0], ['2026-03-03', 1, 1], ['2026-03-04', 0, 0],
    ['2026-03-05', 2, 23], ['2026-03-06', 0, 0], ['2026-03-07', 1, 1],
  ]);
  // m1: 20 activities; m2: 5; m3: 1, m5: 1, m4: none (a registered member without activity is low).
  assert.equal(engagement.segments, { highlyActive: 1, moderatelyActive: 1, lowActivity: 3 });
  // As of 03-07: DAU m3; WAU 03-01..07 m1 m2 m3 m5; MAU 02-06..03-07 the same four.
  assert.equal([engagement.dau, engagement.wau, engagement.mau, engagement.stickiness], [1, 4, 4, 0.25]);
});

test('weekly buckets start on Monday: 2026-03-01 is a Sunday, in the week of 02-23', async ({ store, tenantId }) => {
  const engagement = await readEngagement(store, { tenantId, ...march, interval: 'week' });
  assert.equal(engagement.series, [
    { period: '2026-02-23', activeMembers: 1, activities: 2 },
    { period: '2026-03-02', activeMembers: 4, activities: 25 },
  ]);
});

test('lifecycle per month: new, returning, resurrecting, dormant', async ({ store, tenantId }) => {
  // Active months: m5 Jan+Mar, m3 Feb+Mar, m1 Mar, m2 Mar.
  assert.equal(await readLifecycle(store, { tenantId, from: '2026-01-01', to: '2026-03-31', interval: 'month' }), [
    { period: '2026-01-01', new: 1, returning: 0, resurrecting: 0, dormant: 0 },
    { period: '2026-02-01', new: 1, returning: 0, resurrecting: 0, dormant: 1 },
    { period: '2026-03-01', new: 2, returning: 1, resurrecting: 1, dormant: 0 },
  ]);
});

test('monthly cohort retention, mode on: active in month N itself', async ({ store, tenantId }) => {
  const retention = await readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-31', mode: 'on' });
  assert.equal(retention.cohorts, [
    { cohort: '2026-01', size: 2, retained: [0, 0, 2], rates: [0, 0, 1] },
    { cohort: '2026-02', size: 1, retained: [1, 1], rates: [1, 1] },
    { cohort: '2026-03', size: 1, retained: [0], rates: [0] },
  ]);
});

test('monthly cohort retention, mode on_or_after: active in month N or later', async ({ store, tenantId }) => {
  const retention = await readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-31', mode: 'on_or_after' });
  assert.equal(retention.cohorts.map((c) => [c.cohort, c.size, c.retained, c.rates]), [
    ['2026-01', 2, [2, 2, 2], [1, 1, 1]],
    ['2026-02', 1, [1, 1], [1, 1]],
    ['2026-03', 1, [0], [0]],
  ]);
});

test('retention looks at no activity after `to`, even within its month (the view cohort_retention takes `to`)', async ({ store, tenantId }) => {
  // Up to 03-04: m3 (Feb cohort) active 02-20, m2 (Jan cohort) 03-01; m1's 03-05 and m3's 03-07 come after.
  const on = await readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-04', mode: 'on' });
  assert.equal(on.cohorts.map((c) => [c.cohort, c.size, c.retained]), [['2026-01', 2, [0, 0, 1]], ['2026-02', 1, [1, 0]], ['2026-03', 1, [0]]]);
  const onOrAfter = await readRetention(store, { tenantId, from: '2026-01-01', to: '2026-03-04', mode: 'on_or_after' });
  assert.equal(onOrAfter.cohorts.map((c) => [c.cohort, c.retained]), [['2026-01', [1, 1, 1]], ['2026-02', [1, 0]], ['2026-03', [0]]]);
});

test('MRR movements per month, net MRR churn and quick ratio (EUR only)', async ({ store, tenantId }) => {
  const quarter = await readRevenue(store, { tenantId, from: '2026-01-01', to: '2026-03-31', currency: 'EUR' });
  // Per month: net churn over MRR at the month's start, quick ratio (null where a denominator is 0).
  // February: -1000 / 3000; March: (3000 + 1000 - 800) / 5500, 800 / 4000.
  assert.equal(quarter.months, [
    { month: '2026-01', mrrCents: 3000, newCents: 3000, expansionCents: 0, contractionCents: 0, churnCents: 0, reactivationCents: 0, netMrrChurn: null, quickRatio: null },
    { month: '2026-02', mrrCents: 5500, newCents: 1500, expansionCents: 1000, contractionCents: 0, churnCents: 0, reactivationCents: 0, netMrrChurn: -0.3333, quickRatio: null },
    { month: '2026-03', mrrCents: 2300, newCents: 0, expansionCents: 0, contractionCents: 1000, churnCents: 3000, reactivationCents: 800, netMrrChurn: 0.5818, quickRatio: 0.2 },
  ]);
  // MRR at the end of 2025-12 was 0 (m5 started and cancelled in December): net churn undefined; quick ratio 6300 / 4000.
  assert.equal([quarter.currency, quarter.netMrrChurn, quarter.quickRatio], ['EUR', null, 1.575]);
  const late = await readRevenue(store, { tenantId, from: '2026-02-01', to: '2026-03-31', currency: 'EUR' });
  // From 3000 at the end of January: (churn 3000 + contraction 1000 - expansion 1000 - reactivation 800) / 3000.
  assert.equal([late.netMrrChurn, late.quickRatio], [0.7333, 0.825]);
  // December shows m5's new MRR and its churn, though MRR ended the month where it began.
  const december = await readRevenue(store, { tenantId, from: '2025-12-01', to: '2025-12-31', currency: 'EUR' });
  assert.equal(december.months.map((m) => [m.mrrCents, m.newCents, m.churnCents]), [[0, 800, 800]]);
});

test('overview on 2026-03-20; the main currency is the one most subscriptions are in', async ({ store, tenantId }) => {
  assert.is(await readMainCurrency(store, tenantId), 'EUR');
  assert.equal(await readOverview(store, { tenantId, today: '2026-03-20', currency: 'EUR' }), {
    totalMembers: 5, activeThisMonth: 4, monthlyRevenueCents: 2300, currency: 'EUR', retentionRate: 1,
  });
});

test('the same events projected again (a redelivered batch, a replay) change no figure', async ({ store, tenantId }) => {
  const before = JSON.stringify(await allFigures(store, tenantId));
  await insertAnalyticsRows(store, fixture.events, clickHouseAnalytics);
  await insertAnalyticsRows(store, fixture.events.slice(10, 40), clickHouseAnalytics);
  assert.is(JSON.stringify(await allFigures(store, tenantId)), before);
});

test('the analyst views (migration 002) give the same answers', async ({ store, tenantId }) => {
  const rows = (sql: string) => store.query<Record<string, unknown>>(sql, { tenant: tenantId });
  assert.equal(await rows(`SELECT toString(day) AS day, active_members, activities FROM daily_activity
    WHERE tenant_id = {tenant:UUID} AND day BETWEEN '2026-03-01' AND '2026-03-07' ORDER BY day`), [
    { day: '2026-03-01', active_members: 1, activities: 2 }, { day: '2026-03-03', active_members: 1, activities: 1 },
    { day: '2026-03-05', active_members: 2, activities: 23 }, { day: '2026-03-07', active_members: 1, activities: 1 },
  ]);
  assert.equal(await rows(`SELECT segment, members FROM engagement_segments(from = '2026-03-01', to = '2026-03-07')
    WHERE tenant_id = {tenant:UUID} ORDER BY segment`), [
    { segment: 'highly_active', members: 1 }, { segment: 'low_activity', members: 3 }, { segment: 'moderately_active', members: 1 },
  ]);
  const cohorts = (view: string) => rows(`SELECT formatDateTime(cohort, '%Y-%m') AS cohort, period, retained FROM ${view}
    WHERE tenant_id = {tenant:UUID} ORDER BY cohort, period`);
  // m5 joined in December 2025 and was active in January (period 1) and March (period 3).
  assert.equal(await cohorts('cohort_retention_on'), [
    { cohort: '2025-12', period: 1, retained: 1 }, { cohort: '2025-12', period: 3, retained: 1 },
    { cohort: '2026-01', period: 2, retained: 2 }, { cohort: '2026-02', period: 0, retained: 1 }, { cohort: '2026-02', period: 1, retained: 1 },
  ]);
  assert.equal((await cohorts('cohort_retention_on_or_after')).map((r) => `${r.cohort}/${r.period}:${r.retained}`), [
    '2025-12/0:1', '2025-12/1:1', '2025-12/2:1', '2025-12/3:1', '2026-01/0:2', '2026-01/1:2', '2026-01/2:2', '2026-02/0:1', '2026-02/1:1',
  ]);
  assert.equal(await rows(`SELECT formatDateTime(cohort, '%Y-%m') AS cohort, members FROM cohort_sizes WHERE tenant_id = {tenant:UUID} ORDER BY cohort`), [
    { cohort: '2025-12', members: 1 }, { cohort: '2026-01', members: 2 }, { cohort: '2026-02', members: 1 }, { cohort: '2026-03', members: 1 },
  ]);
  assert.equal((await rows(`SELECT formatDateTime(month, '%Y-%m') AS month, new, returning, resurrecting, dormant FROM monthly_lifecycle
    WHERE tenant_id = {tenant:UUID} ORDER BY month`)).map((r) => Object.values(r).join(' ')), [
    '2026-01 1 0 0 0', '2026-02 1 0 0 1', '2026-03 2 1 1 0', '2026-04 0 0 0 4',
  ]);
  assert.equal(await rows(`SELECT currency, sum(mrr_cents) AS mrr FROM member_mrr_now WHERE tenant_id = {tenant:UUID} GROUP BY currency ORDER BY currency`),
    [{ currency: 'EUR', mrr: 2300 }, { currency: 'USD', mrr: 900 }]);
  // m2 cancelled: no plan; the four others pay monthly.
  assert.equal(await rows(`SELECT billing_interval, count() AS members, countIf(plan_membership_type_id IS NULL) AS without_plan
    FROM member_mrr_now WHERE tenant_id = {tenant:UUID} GROUP BY billing_interval ORDER BY billing_interval`),
    [{ billing_interval: '', members: 1, without_plan: 1 }, { billing_interval: 'month', members: 4, without_plan: 0 }]);
  assert.equal(await rows(`SELECT status, count() AS members FROM member_current WHERE tenant_id = {tenant:UUID} GROUP BY status ORDER BY status`),
    [{ status: 'active', members: 4 }, { status: 'suspended', members: 1 }]);
});

test('member_current: a membership type cleared to none is none, not the one before', async ({ store }) => {
  const tenantId = uuidv7();
  const memberId = uuidv7();
  const typeId = uuidv7();
  const stream = `member-${tenantId}_${memberId}`;
  const base = { tenantId, schemaVersion: 1, streamId: stream, actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), recordedAt: '2026-03-01T10:00:00.000Z' };
  await insertAnalyticsRows(store, [
    { ...base, eventId: uuidv7(), type: 'MemberRegistered', streamRevision: 0, position: 1, occurredAt: '2026-03-01T10:00:00.000Z',
      data: { memberId, email: 'x@example.org', firstName: 'X', lastName: 'Y', membershipTypeId: typeId, status: 'active' } },
    { ...base, eventId: uuidv7(), type: 'MemberDetailsChanged', streamRevision: 1, position: 2, occurredAt: '2026-03-02T10:00:00.000Z',
      data: { membershipTypeId: null } },
  ], clickHouseAnalytics);
  const [row] = await store.query<{ membership_type_id: string | null; status: string }>(
    'SELECT membership_type_id, status FROM member_current WHERE tenant_id = {tenant:UUID}', { tenant: tenantId });
  assert.equal(row, { membership_type_id: null, status: 'active' });
});

test('another tenant sees none of it', async ({ store }) => {
  const other = analyticsFixture().tenantId;
  const overview = await readOverview(store, { tenantId: other, today: '2026-03-20', currency: null });
  assert.equal(overview, { totalMembers: 0, activeThisMonth: 0, monthlyRevenueCents: 0, currency: null, retentionRate: 0 });
  assert.equal((await readRetention(store, { tenantId: other, from: '2026-01-01', to: '2026-03-31', mode: 'on' })).cohorts, []);
});

test.run();
