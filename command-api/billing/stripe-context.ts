import type { CommandContext } from '../handle-command';
import type { BillingEdge } from './billing-edge';

/** The context of a command a verified Stripe event caused: Stripe is the actor, the event the cause. */
export function stripeContext(edge: Pick<BillingEdge, 'now' | 'newId'>, tenantId: string, stripeEventId: string): CommandContext {
  return {
    tenantId, actor: { system: 'stripe' }, correlationId: stripeEventId, causationId: stripeEventId,
    now: edge.now(), newId: edge.newId,
  };
}
