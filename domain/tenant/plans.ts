import { z } from 'zod';

export const planSchema = z.enum(['free', 'pro', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;
export const paidPlanSchema = z.enum(['pro', 'enterprise']);
export type PaidPlan = z.infer<typeof paidPlanSchema>;
export const billingIntervalSchema = z.enum(['month', 'year']);
export type BillingInterval = z.infer<typeof billingIntervalSchema>;

/** What each plan allows. `null` means unlimited. Shown by `GET /v1/tenant` beside the usage. */
export type PlanLimits = { members: number | null; membershipTypes: number | null; activitiesPerCall: number };

export const planLimits: Record<Plan, PlanLimits> = {
  free: { members: 250, membershipTypes: 3, activitiesPerCall: 1000 },
  pro: { members: 10_000, membershipTypes: 25, activitiesPerCall: 1000 },
  enterprise: { members: null, membershipTypes: null, activitiesPerCall: 1000 },
};

/**
 * How many requests a tenant's plan allows per minute on each API (DESIGN §12), weighted by work
 * (a bulk action counts each member, an activities call each 100 items). A tenant may spend a
 * minute's worth at once, then as it refills. Beside the limits above, not in them: this is the
 * platform's protection, not a figure of the plan's offer shown by `GET /v1/tenant`.
 */
export const planRequestsPerMinute: Record<Plan, number> = {
  free: 600,
  pro: 6_000,
  // 5,000/s: the operator cap's default (RATE_LIMIT_PER_SECOND); an enterprise tenant's one busy
  // client (the benchmarks' 2,000 list queries/s) must not be throttled by its plan.
  enterprise: 300_000,
};
