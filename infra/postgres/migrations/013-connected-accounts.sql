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
