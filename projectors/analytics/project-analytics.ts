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
  // Rows are built as literals, not spread from a common base: a rebuild projects millions.
  if (event.type === 'ActivityRecorded') {
    return [{ table: 'activity_facts', row: {
      tenant_id: event.tenantId, occurred_at: clickHouseTime(data.occurredAt), member_id: data.memberId,
      activity_type: data.activityType, event_id: event.eventId,
    } }];
  }
  if (!event.streamId.startsWith('member-')) return [];
  const memberFact = (status: string | null, membershipTypeSet: 0 | 1, membershipTypeId: string | null): AnalyticsRow => ({ table: 'member_facts', row: {
    tenant_id: event.tenantId, member_id: entityIdOfStream(event.streamId), revision: event.streamRevision,
    occurred_at: clickHouseTime(event.occurredAt), event_type: event.type, status,
    membership_type_set: membershipTypeSet, membership_type_id: membershipTypeId, event_id: event.eventId,
  } });
  const subscriptionFact = (monthlyAmountCents: number, currency: string, membershipTypeId: string | null, interval: string): AnalyticsRow => ({ table: 'subscription_facts', row: {
    tenant_id: event.tenantId, member_id: entityIdOfStream(event.streamId), revision: event.streamRevision,
    occurred_at: clickHouseTime(event.occurredAt), event_type: event.type, monthly_amount_cents: monthlyAmountCents,
    currency, membership_type_id: membershipTypeId, billing_interval: interval, event_id: event.eventId,
  } });
  switch (event.type) {
    case 'MemberRegistered':
      return [memberFact(data.status, 1, data.membershipTypeId ?? null)];
    case 'MemberDetailsChanged':
      return 'membershipTypeId' in data ? [memberFact(null, 1, data.membershipTypeId ?? null)] : [];
    case 'MemberActivated':
    case 'MemberReactivated':
    case 'MemberSuspended':
    case 'MemberDeactivated':
      return [memberFact(memberStatusAfter[event.type]!, 0, null)];
    // What the member pays per month from this instant (MRR). A scheduled change or cancellation
    // changes nothing yet: the SubscriptionPlanChanged or SubscriptionCancelled that applies it does.
    // A past-due subscription still counts; a lapsed one stops until it is reinstated.
    case 'SubscriptionStarted':
    case 'SubscriptionPlanChanged':
    case 'SubscriptionReinstated':
      return [subscriptionFact(data.monthlyAmountCents, data.currency, data.membershipTypeId, data.interval)];
    case 'SubscriptionCancelled':
    case 'SubscriptionLapsed':
      return [subscriptionFact(0, '', null, '')];
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
