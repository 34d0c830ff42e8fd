import { Kysely, PostgresDialect, type ColumnType } from 'kysely';
import type { Pool } from 'pg';

/** The read-model tables as the query API sees them (see migrations 002, 004, 006, 009). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date: pg reads it as local midnight, so select it as text (to_char) to show it. */
type CalendarDate = ColumnType<Date, string, string>;

export type ReadModelDatabase = {
  rm_tenants: {
    tenant_id: string; name: string; subdomain: string; created_at: Timestamp; updated_at: Timestamp; revision: number;
    /** The plan in force (migration 009), and the billing view of the newest billing event. */
    plan: string; billing_status: string; billing_interval: string | null; current_period_end: Timestamp | null;
    cancel_at_period_end: boolean; grace_ends_at: Timestamp | null;
    /** The connected account for members' dues (migration 013). */
    payments_account_id: string | null; payments_charges_enabled: boolean;
  };
  rm_membership_types: {
    tenant_id: string; membership_type_id: string; name: string; description: string | null; monthly_price_cents: number;
    currency: string; features: string[]; created_at: Timestamp; revision: number;
  };
  rm_members: {
    tenant_id: string; member_id: string; email: string; first_name: string; last_name: string; status: string;
    membership_type_id: string | null; subscription: Record<string, unknown> | null; created_at: Timestamp;
    updated_at: Timestamp; revision: number;
    /** The subscription's status ('none': never subscribed) and, once cancelled, its terms (migration 014). */
    subscription_status: ColumnType<string, never, never>; cancelled_subscription: Record<string, unknown> | null;
  };
  rm_member_activity: { tenant_id: string; member_id: string; last_activity_at: Timestamp };
  rm_member_counts: { tenant_id: string; status: string; members: number };
  tenant_usage_days: { tenant_id: string; day: CalendarDate; member_seats: number; reported_at: Timestamp | null };
  projection_checkpoints: { projection: string; position: number; updated_at: Timestamp };
  projection_partition_offsets: { projection: string; topic: string; partition: number; next_offset: number; position: number; updated_at: Timestamp };
  events: {
    position: number; event_id: string; stream_id: string; stream_revision: number; tenant_id: string; type: string;
    schema_version: number; data: unknown; metadata: any; occurred_at: Timestamp; recorded_at: Timestamp;
  };
};

export function createReadModelDatabase(pool: Pool) {
  return new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool }) });
}

export type ReadModelDb = Kysely<ReadModelDatabase>;
