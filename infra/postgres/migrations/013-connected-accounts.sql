-- Membership dues (DESIGN §11): each tenant's connected Stripe account.
-- Which tenant a connected account belongs to, written by the command API when it creates the
-- account (before Stripe can send anything about it): Connect events name the account, and only
-- this link, never the event's own metadata, says whose it is.
CREATE TABLE IF NOT EXISTS stripe_connected_accounts (
  account_id text PRIMARY KEY,
  tenant_id  uuid NOT NULL UNIQUE,
  linked_at  timestamptz NOT NULL DEFAULT now()
);

-- GET /v1/tenant's `payments`.
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS payments_account_id text;
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS payments_charges_enabled boolean NOT NULL DEFAULT false;

-- The price of a membership type on a connected account, created when first needed and reused
-- while the membership type's price is the same (DESIGN §11): one row per price Stripe holds.
CREATE TABLE IF NOT EXISTS stripe_connected_prices (
  account_id         text NOT NULL,
  membership_type_id uuid NOT NULL,
  billing_interval   text NOT NULL,
  unit_amount_cents  bigint NOT NULL,
  currency           text NOT NULL,
  price_id           text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, membership_type_id, billing_interval, unit_amount_cents, currency)
);

-- A member's open checkout on the connected account: the same link is given again while it is
-- open, so that a member cannot pay two sessions and hold two subscriptions.
CREATE TABLE IF NOT EXISTS stripe_member_checkouts (
  tenant_id           uuid NOT NULL,
  member_id           uuid NOT NULL,
  checkout_session_id text NOT NULL,
  url                 text NOT NULL,
  membership_type_id  uuid NOT NULL,
  billing_interval    text NOT NULL,
  expires_at          timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, member_id)
);
