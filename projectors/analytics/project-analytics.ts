import type { EventEnvelope } from '../../infra/event-store/port';
import { entityIdOfStream } from '../../infra/event-store/stream-name';

/** A row for one ClickHouse fact table (infra/analytics/migrations/001-facts.sql). */
export type AnalyticsRow = { table: 'member_facts' | 'activity_facts' | 'subscription_facts'; row: Record<string, unknown> };

const memberStatusAfter: Record<string, string> = {
  MemberActivated: 'active', MemberReactivated: 'active', MemberSuspended: 'suspended', MemberDeactivated: 'inactive',
};

/**
 * The analytics facts an event contributes (often none). Pure; the rows carry the event id, so a
 * fact written twice is recognised as one (the tables' sort keys, and uniqExact in the rollups).
 * Timestamps are written as ClickHouse reads them best: 'YYYY-MM-DD hh:mm:ss.sss', UTC.
 */
export function projectAnalytics(event: EventEnvelope): AnalyticsRow[] {
  const data = event.data as Record<string, any>;
  const base = { tenant_id: event.tenantId, event_id: event.eventId };
  if (event.type === 'ActivityRecorded') {
    return [{ table: 'activity_facts', row: { ...base, member_id: data.memberId, occurred_at: clickHouseTime(data.occurredAt), activity_type: data.activityType } }];
  }
  if (!event.streamId.startsWith('member-')) return [];
  const member = { ...base, member_id: entityIdOfStream(event.streamId), revision: event.streamRevision, occurred_at: clickHouseTime(event.occurredAt), event_type: event.type };
  switch (event.type) {
    case 'MemberRegistered':
      return [{ table: 'member_facts', row: { ...member, status: data.status, membership_type_set: 1, membership_type_id: data.membershipTypeId ?? null } }];
    case 'MemberDetailsChanged':
      if (!('membershipTypeId' in data)) return [];
      return [{ table: 'member_facts', row: { ...member, status: null, membership_type_set: 1, membership_type_id: data.membershipTypeId ?? null } }];
    case 'MemberActivated':
    case 'MemberReactivated':
    case 'MemberSuspended':
    case 'MemberDeactivated':
      return [{ table: 'member_facts', row: { ...member, status: memberStatusAfter[event.type], membership_type_set: 0, membership_type_id: null } }];
    case 'SubscriptionStarted':
    case 'SubscriptionPlanChanged':
      return [{ table: 'subscription_facts', row: {
        ...member, monthly_amount_cents: data.monthlyAmountCents, currency: data.currency,
        membership_type_id: data.membershipTypeId, billing_interval: data.interval,
      } }];
    case 'SubscriptionCancelled':
      return [{ table: 'subscription_facts', row: { ...member, monthly_amount_cents: 0, currency: '', membership_type_id: null, billing_interval: '' } }];
    default:
      return [];
  }
}

const canonicalUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An ISO-8601 instant as ClickHouse's DateTime64(3, 'UTC') parses it without best-effort mode.
 * The stores write instants as `toISOString()` does; those are cut and pasted (a rebuild converts
 * millions), anything else goes through Date.
 */
export function clickHouseTime(iso: string): string {
  const canonical = canonicalUtc.test(iso) ? iso : new Date(iso).toISOString();
  return `${canonical.slice(0, 10)} ${canonical.slice(11, 23)}`;
}
