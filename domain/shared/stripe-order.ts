import { z } from 'zod';

/**
 * Stripe neither orders nor deduplicates its deliveries (DESIGN §10): whatever the platform learns
 * from Stripe carries Stripe's ordering key, and of two facts about one object the newer wins.
 */
export const stripeId = z.string().min(1).max(255);
export const stripeOrderSchema = z.object({ created: z.number().int().min(0), eventId: stripeId });
export type StripeOrder = z.infer<typeof stripeOrderSchema>;

/** Newer means later `created`, then the larger event id (Stripe's seconds often tie). */
export function isNewer(a: StripeOrder, b: StripeOrder): boolean {
  return a.created !== b.created ? a.created > b.created : a.eventId > b.eventId;
}
