-- Views for analysts, one per question (docs/analytics.md shows each in use). Those that take a
-- window are parameterised: SELECT * FROM engagement_segments(from = '2026-03-01', to = '2026-03-31').
-- Always filter by tenant_id. The query API computes the same figures (query-api/analytics/); a
-- test holds the two to the same answers.

-- Who each member is now: when they joined (their cohort), status and membership type.
CREATE OR REPLACE VIEW member_current AS
SELECT tenant_id, member_id,
  minIf(occurred_at, event_type = 'MemberRegistered') AS joined_at,
  toStartOfMonth(joined_at) AS cohort,
  argMaxIf(status, revision, status IS NOT NULL) AS status,
  -- In a tuple, so that a type cleared to NULL counts (aggregates skip bare NULLs).
  argMaxIf(tuple(membership_type_id), revision, membership_type_set = 1).1 AS membership_type_id
FROM member_facts
GROUP BY tenant_id, member_id;

-- How many members were active, and how many activities they recorded, each day.
CREATE OR REPLACE VIEW daily_activity AS
SELECT tenant_id, day, uniqExact(member_id) AS active_members, sum(activities) AS activities
FROM (SELECT tenant_id, day, member_id, uniqExactMerge(activities) AS activities
      FROM member_activity_daily GROUP BY tenant_id, day, member_id)
GROUP BY tenant_id, day;

-- The same per calendar month (monthly active members).
CREATE OR REPLACE VIEW monthly_activity AS
SELECT tenant_id, toStartOfMonth(day) AS month, uniqExact(member_id) AS active_members, sum(activities) AS activities
FROM (SELECT tenant_id, day, member_id, uniqExactMerge(activities) AS activities
      FROM member_activity_daily GROUP BY tenant_id, day, member_id)
GROUP BY tenant_id, month;

-- How engaged were members over a window? Highly active >= 20 activities, moderately 5-19, low < 5
-- (members registered by the end of the window, with or without activity).
CREATE OR REPLACE VIEW engagement_segments AS
SELECT tenant_id, segment, count() AS members
FROM (
  SELECT tenant_id, member_id,
    multiIf(n >= 20, 'highly_active', n >= 5, 'moderately_active', 'low_activity') AS segment
  FROM (SELECT tenant_id, member_id FROM member_facts
        WHERE event_type = 'MemberRegistered' AND toDate(occurred_at) <= {to:Date}
        GROUP BY tenant_id, member_id) AS members
  LEFT JOIN (SELECT tenant_id, member_id, uniqExactMerge(activities) AS n FROM member_activity_daily
             WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY tenant_id, member_id) AS counts
  USING (tenant_id, member_id))
GROUP BY tenant_id, segment;

-- How big is each monthly cohort?
CREATE OR REPLACE VIEW cohort_sizes AS
SELECT tenant_id, cohort, count() AS members FROM member_current GROUP BY tenant_id, cohort;

-- Of each monthly cohort, how many were active in month N after joining (retention, mode `on`)?
CREATE OR REPLACE VIEW cohort_retention_on AS
SELECT c.tenant_id AS tenant_id, c.cohort AS cohort, dateDiff('month', c.cohort, a.month) AS period, count() AS retained
FROM member_current AS c
INNER JOIN (SELECT DISTINCT tenant_id, member_id, toStartOfMonth(day) AS month FROM member_activity_daily) AS a
  USING (tenant_id, member_id)
WHERE a.month >= c.cohort
GROUP BY tenant_id, cohort, period;

-- ... and in month N or any later month (retention, mode `on_or_after`).
CREATE OR REPLACE VIEW cohort_retention_on_or_after AS
SELECT tenant_id, cohort, period, count() AS retained
FROM (SELECT c.tenant_id AS tenant_id, c.cohort AS cohort, c.member_id AS member_id,
        dateDiff('month', c.cohort, max(a.month)) AS last_period
      FROM member_current AS c
      INNER JOIN (SELECT DISTINCT tenant_id, member_id, toStartOfMonth(day) AS month FROM member_activity_daily) AS a
        USING (tenant_id, member_id)
      WHERE a.month >= c.cohort
      GROUP BY tenant_id, cohort, member_id)
ARRAY JOIN range(toUInt32(last_period) + 1) AS period
GROUP BY tenant_id, cohort, period;

-- Lifecycle of active members per month: new (first activity ever), returning (also active the
-- month before), resurrecting (not the month before, but earlier), dormant (the month before, not this one).
CREATE OR REPLACE VIEW monthly_lifecycle AS
SELECT tenant_id, month,
  countIf(has(months, month) AND month = first) AS new,
  countIf(has(months, month) AND has(months, addMonths(month, -1))) AS returning,
  countIf(has(months, month) AND NOT has(months, addMonths(month, -1)) AND month > first) AS resurrecting,
  countIf(NOT has(months, month) AND has(months, addMonths(month, -1))) AS dormant
FROM (SELECT tenant_id, member_id, groupUniqArray(toStartOfMonth(day)) AS months, min(toStartOfMonth(day)) AS first
      FROM member_activity_daily GROUP BY tenant_id, member_id)
ARRAY JOIN arrayDistinct(arrayConcat(months, arrayMap(m -> addMonths(m, 1), months))) AS month
GROUP BY tenant_id, month;

-- What did each member pay per month at the end of each month in which that changed? (The
-- currency of a cancellation is the one paid before it; MRR movements start from here.)
CREATE OR REPLACE VIEW member_mrr_changes AS
SELECT tenant_id, member_id, toStartOfMonth(occurred_at) AS month,
  argMax(monthly_amount_cents, (occurred_at, revision)) AS mrr_cents,
  argMaxIf(currency, (occurred_at, revision), currency != '') AS currency
FROM subscription_facts
GROUP BY tenant_id, member_id, month;

-- What plan is each member on now, and what does it pay per month (MRR)? A cancelled
-- subscription leaves 0 and no plan.
CREATE OR REPLACE VIEW member_mrr_now AS
SELECT tenant_id, member_id,
  argMax(monthly_amount_cents, (occurred_at, revision)) AS mrr_cents,
  argMaxIf(currency, (occurred_at, revision), currency != '') AS currency,
  -- In a tuple, so that the NULL of a cancellation counts (aggregates skip bare NULLs).
  argMax(tuple(membership_type_id), (occurred_at, revision)).1 AS plan_membership_type_id,
  argMax(billing_interval, (occurred_at, revision)) AS billing_interval
FROM subscription_facts
GROUP BY tenant_id, member_id;
