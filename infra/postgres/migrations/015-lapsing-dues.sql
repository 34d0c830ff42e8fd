-- The scheduler's look for Stripe-billed dues past due beyond their grace (command-api/scheduler/
-- due-work.ts): few rows are past due, so a partial index on when their grace ends.
CREATE INDEX IF NOT EXISTS rm_members_dues_grace_end ON rm_members ((subscription->>'graceEndsAt'))
  WHERE subscription_status = 'past_due';
