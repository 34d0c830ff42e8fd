-- One definition of each engagement and retention figure (DESIGN.md §7): the query API's routes
-- read these views (query-api/analytics/), and the analyst views of 002 become special cases of
-- them, so the two can no longer drift apart. The views take the route's window as parameters:
--   SELECT * FROM activity_series(bucket = 'week', from = '2026-03-01', to = '2026-03-31') WHERE tenant_id = '…'
-- `bucket` is 'day', 'week' (starting on Monday, ISO) or 'month'. Always filter by tenant_id.

-- Active members and activities per bucket of [from, to] (a bucket may be cut by from or to):
-- a member is active in a bucket when it has at least one activity in it.
CREATE OR REPLACE VIEW activity_series AS
SELECT tenant_id,
  multiIf({bucket:String} = 'week', toMonday(day), {bucket:String} = 'month', toStartOfMonth(day), day) AS period,
  uniqExact(member_id) AS active_members,
  -- The distinct event ids of the bucket's days (a redelivered activity counts once).
  uniqExactMerge(activities) AS activities
FROM member_activity_daily
WHERE day BETWEEN {from:Date} AND {to:Date}
GROUP BY tenant_id, period;

-- DAU, WAU (trailing 7 days), MAU (trailing 30 days) as of the end of `day`. Stickiness = dau / mau.
CREATE OR REPLACE VIEW trailing_active_members AS
SELECT tenant_id, uniqExactIf(member_id, day = {day:Date}) AS dau, uniqExactIf(member_id, day > {day:Date} - 7) AS wau,
  uniqExact(member_id) AS mau
FROM member_activity_daily
WHERE day > {day:Date} - 30 AND day <= {day:Date}
GROUP BY tenant_id;

-- Engagement segments over [from, to]: highly active >= 20 activities, moderately 5-19, low < 5,
-- of the members registered by `to`, with or without activity. Counted on the facts (FINAL
-- collapses a redelivered one): cheaper than merging the daily states.
CREATE OR REPLACE VIEW engagement_segments AS
SELECT tenant_id, segment, count() AS members
FROM (
  SELECT tenant_id, member_id,
    multiIf(n >= 20, 'highly_active', n >= 5, 'moderately_active', 'low_activity') AS segment
  FROM (SELECT tenant_id, member_id FROM member_facts
        WHERE event_type = 'MemberRegistered' AND toDate(occurred_at) <= {to:Date}
        GROUP BY tenant_id, member_id) AS members
  LEFT JOIN (SELECT tenant_id, member_id, count() AS n FROM activity_facts FINAL
             WHERE toDate(occurred_at) BETWEEN {from:Date} AND {to:Date} GROUP BY tenant_id, member_id) AS counts
  USING (tenant_id, member_id))
GROUP BY tenant_id, segment;

-- Lifecycle of active members per bucket, from activity up to `to`: new (first activity ever),
-- returning (also active the bucket before), resurrecting (not the bucket before, but earlier),
-- dormant (active the bucket before, not this one; so a bucket after the last activity appears).
CREATE OR REPLACE VIEW activity_lifecycle AS
SELECT tenant_id, t AS period,
  multiIf({bucket:String} = 'week', t - 7, {bucket:String} = 'month', addMonths(t, -1), t - 1) AS previous,
  countIf(has(buckets, t) AND t = first) AS new,
  countIf(has(buckets, t) AND has(buckets, previous)) AS returning,
  countIf(has(buckets, t) AND NOT has(buckets, previous) AND t > first) AS resurrecting,
  countIf(NOT has(buckets, t) AND has(buckets, previous)) AS dormant
FROM (SELECT tenant_id, member_id, groupUniqArray(b) AS buckets, min(b) AS first
      FROM (SELECT tenant_id, member_id,
              multiIf({bucket:String} = 'week', toMonday(day), {bucket:String} = 'month', toStartOfMonth(day), day) AS b
            FROM member_activity_daily WHERE day <= {to:Date})
      GROUP BY tenant_id, member_id)
ARRAY JOIN arrayDistinct(arrayConcat(buckets, arrayMap(
  b -> multiIf({bucket:String} = 'week', b + 7, {bucket:String} = 'month', addMonths(b, 1), b + 1), buckets))) AS t
GROUP BY tenant_id, t;

-- Monthly cohort retention, from activity up to `to`: cohort = the month a member joined,
-- period N = the N-th month after it (0: the joining month). retained_on: members active in
-- month N; retained_on_or_after: members active in month N or any later month (up to `to`).
CREATE OR REPLACE VIEW cohort_retention AS
SELECT tenant_id, cohort, period, countIf(has(active_periods, period)) AS retained_on, count() AS retained_on_or_after
FROM (SELECT c.tenant_id AS tenant_id, c.cohort AS cohort, c.member_id AS member_id,
        groupUniqArray(toUInt32(dateDiff('month', c.cohort, a.month))) AS active_periods
      FROM member_current AS c
      INNER JOIN (SELECT DISTINCT tenant_id, member_id, toStartOfMonth(day) AS month
                  FROM member_activity_daily WHERE day <= {to:Date}) AS a
        USING (tenant_id, member_id)
      WHERE a.month >= c.cohort
      GROUP BY tenant_id, cohort, member_id)
ARRAY JOIN range(arrayMax(active_periods) + 1) AS period
GROUP BY tenant_id, cohort, period;

-- The analyst views of 002, now special cases of the above over all time.
CREATE OR REPLACE VIEW daily_activity AS
SELECT tenant_id, period AS day, active_members, activities
FROM activity_series(bucket = 'day', from = '1970-01-01', to = '2149-06-06');

CREATE OR REPLACE VIEW monthly_activity AS
SELECT tenant_id, period AS month, active_members, activities
FROM activity_series(bucket = 'month', from = '1970-01-01', to = '2149-06-06');

CREATE OR REPLACE VIEW monthly_lifecycle AS
SELECT tenant_id, period AS month, new, returning, resurrecting, dormant
FROM activity_lifecycle(bucket = 'month', to = '2149-06-06');

CREATE OR REPLACE VIEW cohort_retention_on AS
SELECT tenant_id, cohort, period, retained_on AS retained
FROM cohort_retention(to = '2149-06-06') WHERE retained_on > 0;

CREATE OR REPLACE VIEW cohort_retention_on_or_after AS
SELECT tenant_id, cohort, period, retained_on_or_after AS retained
FROM cohort_retention(to = '2149-06-06');
