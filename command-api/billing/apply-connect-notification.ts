import type { ConnectNotification } from '../../infra/stripe/port';
import type { DeliveryOutcome } from '../../infra/stripe/webhook-records';
import { handleCommand } from '../handle-command';
import { tenantDecider, tenantStream } from '../tenant-stream';
import { applyMemberDuesNotification } from './apply-member-dues';
import type { BillingEdge } from './billing-edge';
import { stripeContext } from './stripe-context';

export type ConnectOutcome = { outcome: DeliveryOutcome; tenantId: string | null };

/**
 * A verified Connect notification, applied to the tenant whose connected account it names. The
 * tenant is found only through the link the platform made when it created the account: an event
 * about an account no tenant opened is refused ('unknown-account'; logged, counted, 200 to Stripe).
 */
export async function applyConnectNotification(edge: BillingEdge, notification: ConnectNotification): Promise<ConnectOutcome> {
  const tenantId = await edge.connectedAccounts.tenantOfAccount(notification.accountId);
  if (tenantId === null) return { outcome: 'unknown-account', tenantId: null };
  if (notification.kind !== 'payments-account') return applyMemberDuesNotification(edge, tenantId, notification);
  const { accountId, chargesEnabled } = notification;
  const command = { type: 'RecordPaymentsAccountUpdate' as const, accountId, chargesEnabled,
    order: { created: notification.created, eventId: notification.eventId } };
  return edge.inTurn(tenantId, async () => {
    const result = await handleCommand(edge.streams, tenantStream(tenantId), tenantDecider, command,
      stripeContext(edge, tenantId, notification.eventId), undefined, true);
    if (result.changed) edge.changed(tenantId);
    return { outcome: result.changed ? 'applied' : 'no-change', tenantId };
  });
}
