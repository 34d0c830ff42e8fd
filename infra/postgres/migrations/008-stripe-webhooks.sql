-- The Stripe edge's own records (not events: Stripe's objects are never stored as our events).
-- Every verified delivery once, by Stripe event id, with what became of it.
CREATE TABLE IF NOT EXISTS stripe_webhook_deliveries (
  event_id    text PRIMARY KEY,
  type        text NOT NULL,
  created     timestamptz NOT NULL,
  tenant_id   uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  outcome     text NOT NULL
);
CREATE INDEX IF NOT EXISTS stripe_webhook_deliveries_received ON stripe_webhook_deliveries (received_at);

-- Which tenant a Stripe customer belongs to: the first link (a completed checkout) wins.
CREATE TABLE IF NOT EXISTS stripe_customers (
  customer_id text PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  linked_at   timestamptz NOT NULL DEFAULT now()
);

-- Deliveries that cannot be placed yet (an invoice of a customer not linked to a tenant yet),
-- kept in our translation and applied when the link arrives.
CREATE TABLE IF NOT EXISTS stripe_parked_notifications (
  event_id     text PRIMARY KEY,
  customer_id  text NOT NULL,
  notification jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stripe_parked_notifications_customer ON stripe_parked_notifications (customer_id);

-- The scheduler looks for member subscriptions whose period has ended (ISO-8601 UTC text sorts
-- as time does).
CREATE INDEX IF NOT EXISTS rm_members_subscription_period_end ON rm_members ((subscription->>'periodEnd'))
  WHERE subscription IS NOT NULL;
