import { memberSubscriptionFactSchema, monthsPerInterval, type MemberStripeFact } from '../../domain/member';
import { DomainError } from '../../domain/shared/domain-error';
import { entityId } from '../../domain/shared/schemas';
import { addMonthsUtc, isoFromUnixSeconds } from '../../domain/shared/time';
import { unixSeconds, type MemberDuesNotification } from '../../infra/stripe/port';
import { handleCommand } from '../handle-command';
import { loadMembershipType, memberDecider, memberStream } from '../routes/members/member-streams';
import type { ConnectOutcome } from './apply-connect-notification';
import type { BillingEdge } from './billing-edge';
import { stripeContext } from './stripe-context';

const iso = isoFromUnixSeconds;
const isInterval = (value: string | null): value is keyof typeof monthsPerInterval => value === 'month' || value === 'year';

/**
 * A member's dues on the tenant's connected account (DESIGN §11), recorded as a fact on the
 * member's stream. The member is the one our checkout's metadata names, and only if it is a member
 * of the account's tenant: another tenant's member, a tenant in the metadata other than the
 * account's, or an unknown membership type is refused, changing nothing.
 */
export async function applyMemberDuesNotification(
  edge: BillingEdge, tenantId: string, notification: MemberDuesNotification,
): Promise<ConnectOutcome> {
  if (notification.tenantId !== null && notification.tenantId !== tenantId) return { outcome: 'unknown-tenant', tenantId: null };
  const { memberId } = notification;
  if (memberId === null || !entityId.safeParse(memberId).success) return { outcome: 'unknown-member', tenantId };
  const context = stripeContext(edge, tenantId, notification.eventId);
  const streamId = memberStream(tenantId, memberId);
  return edge.inTurn(streamId, async () => {
    if (!(await memberExists(edge, streamId))) return { outcome: 'unknown-member', tenantId };
    const fact = await factOf(edge, tenantId, notification);
    if (typeof fact === 'string') return { outcome: fact, tenantId };
    const result = await handleCommand(edge.streams, streamId, memberDecider, { type: 'RecordMemberStripeFact', fact }, context, undefined, true);
    return { outcome: result.changed ? 'applied' : 'no-change', tenantId };
  });
}

/** A member this process remembers as absent is read afresh: it may have been registered since. */
async function memberExists(edge: BillingEdge, streamId: string) {
  let loaded = await edge.streams.load(streamId, memberDecider);
  if (loaded.state.kind === 'absent' && loaded.cached) {
    edge.streams.forget(streamId);
    loaded = await edge.streams.load(streamId, memberDecider);
  }
  return loaded.state.kind === 'registered';
}

async function factOf(edge: BillingEdge, tenantId: string, notification: MemberDuesNotification)
  : Promise<MemberStripeFact | 'unknown-membership-type' | 'ignored'> {
  const order = { created: notification.created, eventId: notification.eventId };
  const graceEndsAt = iso(notification.created + edge.memberGracePeriodSeconds);
  if (notification.kind === 'member-invoice') {
    const { invoiceId, subscriptionId, outcome, periodStart, periodEnd } = notification;
    return { kind: 'invoice', invoiceId, subscriptionId, outcome, order, graceEndsAt: outcome === 'failed' ? graceEndsAt : null,
      periodStart: periodStart === null ? null : iso(periodStart), periodEnd: periodEnd === null ? null : iso(periodEnd) };
  }
  const type = await membershipTypeOf(edge, tenantId, notification);
  if (type === null) return 'unknown-membership-type';
  if (!isInterval(notification.interval)) return 'ignored';
  const subscription = { kind: 'subscription' as const, subscriptionId: notification.subscriptionId, membershipTypeId: type.membershipTypeId,
    interval: notification.interval, monthlyPriceCents: type.monthlyPriceCents, currency: type.currency, graceEndsAt, order, pendingChange: null };
  if (notification.kind === 'member-checkout') {
    // A completed checkout starts the subscription at once; its own events bring Stripe's period.
    const periodStart = iso(notification.created);
    return { ...subscription, status: 'active', periodStart, periodEnd: addMonthsUtc(periodStart, monthsPerInterval[notification.interval]), cancelAtPeriodEnd: false };
  }
  const status = memberSubscriptionFactSchema.shape.status.safeParse(notification.status);
  if (!status.success || notification.periodStart === null || notification.periodEnd === null) return 'ignored';
  return { ...subscription, status: status.data, periodStart: iso(notification.periodStart), periodEnd: iso(notification.periodEnd),
    cancelAtPeriodEnd: notification.cancelAtPeriodEnd, pendingChange: await pendingChangeOf(edge, tenantId, notification) };
}

/** The downgrade our change route wrote into the subscription's metadata, priced from our records. */
async function pendingChangeOf(edge: BillingEdge, tenantId: string, notification: Extract<MemberDuesNotification, { kind: 'member-subscription' }>) {
  const { pendingMembershipTypeId, pendingInterval, pendingFrom, eventId } = notification;
  const from = Number(pendingFrom);
  if (!isInterval(pendingInterval) || !unixSeconds.safeParse(from).success || from <= 0) return null;
  const type = await membershipTypeOf(edge, tenantId, { membershipTypeId: pendingMembershipTypeId, eventId });
  return type && { membershipTypeId: type.membershipTypeId, interval: pendingInterval, monthlyPriceCents: type.monthlyPriceCents,
    currency: type.currency, from: iso(from) };
}

/** The membership type our checkout named, of this tenant; its price is ours, never Stripe's. */
async function membershipTypeOf(edge: BillingEdge, tenantId: string, notification: { membershipTypeId: string | null; eventId: string }) {
  if (notification.membershipTypeId === null || !entityId.safeParse(notification.membershipTypeId).success) return null;
  try {
    return await loadMembershipType(edge.streams, stripeContext(edge, tenantId, notification.eventId), notification.membershipTypeId);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}
