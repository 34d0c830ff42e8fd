-- The member view shows a subscription's status (DESIGN §11): active, past_due, lapsed or
-- cancelled, held in the subscription's JSON (the scheduler reads it there). `subscription` keeps
-- meaning the subscription in force: the scheduler renews and lapses what it holds
-- (command-api/scheduler/due-work.ts, migration 008's index). A cancelled subscription moves to
-- `cancelled_subscription`, so the member still shows the one that ended; at most one is set.
ALTER TABLE rm_members ADD COLUMN IF NOT EXISTS cancelled_subscription jsonb;

-- Rows projected before: billed manually unless they said so, with no pending change or grace.
UPDATE rm_members
   SET subscription = jsonb_build_object('billing', 'manual', 'status', 'active', 'pendingChange', NULL, 'graceEndsAt', NULL) || subscription
 WHERE subscription IS NOT NULL;

-- What `GET /v1/members?subscriptionStatus=` filters on ('none': never subscribed), derived from
-- the JSON so it can never disagree with it. A column, not an expression index: under the query
-- role's row-level security only leakproof conditions reach an index, and `->>` is not leakproof
-- while equality on text is (migration 010 says the same of ILIKE).
ALTER TABLE rm_members ADD COLUMN IF NOT EXISTS subscription_status text NOT NULL
  GENERATED ALWAYS AS (coalesce(subscription->>'status', cancelled_subscription->>'status', 'none')) STORED;

-- The filter pages in every sort order the list offers, like rm_members_status: the created order
-- is read straight from the index, the others sort the matches it finds (never the whole tenant).
CREATE INDEX IF NOT EXISTS rm_members_subscription_status ON rm_members (tenant_id, subscription_status, created_at, member_id);
