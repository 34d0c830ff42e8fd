-- Tenant billing in the read model (DESIGN.md §10). Every billing event carries the tenant's
-- billing view after it, so a row holds the view of the newest event of the tenant's stream
-- applied (`revision`). From here on `plan` is the plan in force, the one whose limits apply: the
-- provisioned plan until Stripe says otherwise.
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS billing_status text;
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS billing_interval text;
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS current_period_end timestamptz;
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS cancel_at_period_end boolean NOT NULL DEFAULT false;
ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS grace_ends_at timestamptz;
COMMENT ON COLUMN rm_tenants.plan IS 'The plan in force (billing view), not necessarily the plan provisioned';

-- A tenant without billing events: a paid plan provisioned by the operator is simply active.
UPDATE rm_tenants SET billing_status = CASE WHEN plan = 'free' THEN 'free' ELSE 'active' END
  WHERE billing_status IS NULL;

-- Billing events the projection skipped before it knew them (appended before this migration): the
-- newest one of each tenant's stream sets the row, as the projection would have. One index probe
-- per tenant (events_stream_revision_unique); an event store other than PostgreSQL has no rows here.
UPDATE rm_tenants t
SET plan = b.billing->>'plan', billing_status = b.billing->>'status', billing_interval = b.billing->>'interval',
    current_period_end = (b.billing->>'currentPeriodEnd')::timestamptz,
    cancel_at_period_end = (b.billing->>'cancelAtPeriodEnd')::boolean,
    grace_ends_at = (b.billing->>'graceEndsAt')::timestamptz,
    updated_at = b.occurred_at, revision = b.stream_revision
FROM rm_tenants r
CROSS JOIN LATERAL (
  SELECT e.stream_revision, e.occurred_at, e.data->'billing' AS billing FROM events e
  WHERE e.stream_id = 'tenant-' || r.tenant_id::text AND e.data ? 'billing'
  ORDER BY e.stream_revision DESC LIMIT 1
) b
WHERE t.tenant_id = r.tenant_id AND b.stream_revision > t.revision;

ALTER TABLE rm_tenants ALTER COLUMN billing_status SET NOT NULL;

-- Member seats per tenant and day, written by the scheduler (as the owner role) when it meters a
-- paying tenant's seats to Stripe; `reported_at` is set once Stripe has taken the meter event.
CREATE TABLE IF NOT EXISTS tenant_usage_days (
  tenant_id    uuid NOT NULL,
  day          date NOT NULL,
  member_seats integer NOT NULL,
  reported_at  timestamptz,
  PRIMARY KEY (tenant_id, day)
);

GRANT SELECT ON tenant_usage_days TO {{query_role}};
ALTER TABLE tenant_usage_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_usage_days FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_usage_days FOR SELECT TO {{query_role}}
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
DO $$ BEGIN
  EXECUTE format('CREATE POLICY projector_writes ON tenant_usage_days TO %I USING (true)', current_user);
END $$;
