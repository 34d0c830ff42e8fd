-- MRR movements as DESIGN.md §7 defines them: recorded per change, at the instant of the change
-- (as ChartMogul does), not derived from month-end snapshots. The query API's revenue and
-- overview routes read these views; docs/analytics.md shows them in use. Always filter by tenant_id.
--
-- subscription_facts has one row per event that changes what a member pays each month: started,
-- plan changed (an immediate change; a scheduled downgrade is written when it applies), reinstated
-- (a lapsed subscription paid again) carry the monthly amount; cancelled and lapsed carry 0.

-- Each subscription fact with what the member paid per month just before it and just after it.
-- FINAL: a fact written twice (a redelivered batch, a replay) is one row before the window
-- functions see it, so it can never show up as a second change.
CREATE OR REPLACE VIEW subscription_mrr_steps AS
SELECT tenant_id, member_id, revision, occurred_at, event_type,
  lagInFrame(monthly_amount_cents, 1, toInt64(0)) OVER before_and_this AS before_cents,
  monthly_amount_cents AS after_cents,
  -- A cancellation or a lapse is written without a currency: it is the one paid before it.
  anyLast(nullIf(currency, '')) OVER before_this AS before_currency,
  ifNull(nullIf(currency, ''), before_currency) AS after_currency,
  -- Currencies the member paid in before this change: paying again in one of them is a reactivation.
  groupUniqArrayIf(currency, monthly_amount_cents > 0) OVER before_this AS paid_before_in
FROM subscription_facts FINAL
WINDOW
  before_and_this AS (PARTITION BY tenant_id, member_id ORDER BY occurred_at, revision ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
  before_this AS (PARTITION BY tenant_id, member_id ORDER BY occurred_at, revision ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);

-- One row per MRR movement: which kind, how much (> 0), in which currency, when. A change of
-- currency is two movements: what was paid in the old one leaves it, the new amount enters the new.
--   new: from 0 to paying, never paid before in that currency;
--   reactivation: from 0 to paying, paid before (after a cancellation or a lapse);
--   expansion / contraction: from paying to paying more / less (the difference);
--   churn: from paying to 0 (a cancellation, a lapse, a change to a free plan): what was paid.
-- delta_cents is the signed change of MRR, so that MRR at any instant = sum(delta_cents) up to it.
CREATE OR REPLACE VIEW mrr_movements AS
SELECT tenant_id, member_id, revision, occurred_at, toStartOfMonth(occurred_at) AS month, event_type,
  side.1 AS currency,
  multiIf(side.2 = 0, if(has(paid_before_in, side.1), 'reactivation', 'new'),
          side.3 = 0, 'churn', side.3 > side.2, 'expansion', 'contraction') AS movement,
  toInt64(abs(side.3 - side.2)) AS amount_cents,
  toInt64(side.3 - side.2) AS delta_cents
FROM subscription_mrr_steps
ARRAY JOIN if(before_currency IS NOT NULL AND before_currency != after_currency,
              [(assumeNotNull(before_currency), before_cents, toInt64(0)), (assumeNotNull(after_currency), toInt64(0), after_cents)],
              [(ifNull(after_currency, ''), before_cents, after_cents)]) AS side
WHERE side.2 != side.3;

-- Per tenant, currency and month with a movement: the sum of each kind, and MRR at the month's
-- end (all movements up to it). mrr(m) = mrr(m-1) + new + expansion + reactivation - contraction - churn.
CREATE OR REPLACE VIEW monthly_mrr_movements AS
SELECT tenant_id, currency, month,
  sumIf(amount_cents, movement = 'new') AS new_cents,
  sumIf(amount_cents, movement = 'expansion') AS expansion_cents,
  sumIf(amount_cents, movement = 'contraction') AS contraction_cents,
  sumIf(amount_cents, movement = 'churn') AS churn_cents,
  sumIf(amount_cents, movement = 'reactivation') AS reactivation_cents,
  sum(delta_cents) AS change_cents,
  sum(change_cents) OVER (PARTITION BY tenant_id, currency ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS mrr_cents
FROM mrr_movements
GROUP BY tenant_id, currency, month;
