import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { edgeErrorOptions } from '../infra/http/edge-errors';
import { installJsonBodyParser } from '../infra/http/json-body';
import { installOperationalRoutes } from '../infra/http/operational-routes';
import { installProblemHandling } from '../infra/http/problem';
import { installCors } from '../infra/http/cors';
import { consoleDefaults } from '../infra/config/config';
import { installUnstorableTextGuard } from '../infra/http/unstorable-text';
import { installHttpMetrics } from '../infra/metrics/http-metrics';
import { installLoadShedding } from '../infra/http/load-shedding';
import { registerCommandRoute, type RouteDocument } from './command-route';
import type { CommandApiDependencies, RouteDependencies } from './dependencies';
import { recordActivitiesRoute } from './routes/activities/record-activities';
import { bulkChangeStatusRoute } from './routes/members/bulk-change-status';
import { changeMemberDetailsRoute } from './routes/members/change-member-details';
import { memberStatusRoutes } from './routes/members/change-member-status';
import { registerMemberRoute } from './routes/members/register-member';
import { cancelSubscriptionRoute, startOrChangeSubscriptionRoute } from './routes/members/subscription-routes';
import { createMembershipTypeRoute } from './routes/membership-types/create-membership-type';
import { createTenantRoute } from './routes/tenants/create-tenant';
import { createStreamStates } from './stream-states';
import { createTenantGuard } from './tenant-guard';
import { createPlanUsage } from './plan-usage';
import { createInTurn } from './in-turn';
import { installStripeWebhookRoute, webhookDeliveryMetrics } from './routes/billing/receive-stripe-webhook';
import { openBillingPortalRoute } from './routes/billing/open-billing-portal';
import { startCheckoutRoute } from './routes/billing/start-checkout';
import { startConnectOnboardingRoute } from './routes/payments/start-connect-onboarding';
import { startMemberCheckoutRoute } from './routes/payments/start-member-checkout';
import { installAcceptInvitationRoute } from './routes/invitations/accept-invitation';
import { resendInvitationRoute } from './routes/invitations/resend-invitation';
import { revokeInvitationRoute } from './routes/invitations/revoke-invitation';
import { sendInvitationRoute } from './routes/invitations/send-invitation';

/** 1,000 activities fit comfortably; anything larger is refused with a 413 before parsing. */
export const commandBodyLimit = 256 * 1024;

export type CommandApiOptions = { logger: FastifyServerOptions['logger']; ready: () => Promise<void>;
  /** One log line per request; off by default, it costs a measurable share of a core under load. */
  logRequests?: boolean;
  /** More Prometheus text for /metrics (the embedded platform's scheduler). */
  extraMetrics?: () => Promise<string>;
};

export function buildCommandApi(dependencies: CommandApiDependencies, options: CommandApiOptions) {
  const app = Fastify({ ...edgeErrorOptions, logger: options.logger, logController: new LogController({ disableRequestLogging: !options.logRequests }), bodyLimit: commandBodyLimit, genReqId: () => randomUUID() });
  installProblemHandling(app);
  installCors(app, dependencies.consoleOrigins ?? consoleDefaults.origins);
  installJsonBodyParser(app, commandBodyLimit);
  installUnstorableTextGuard(app);
  const { eventStore, billing: billingSettings, ...rest } = dependencies;
  const streams = createStreamStates(eventStore);
  const requireTenant = createTenantGuard(eventStore, Date.now, dependencies.tenantSettings);
  const billing = billingSettings && { ...billingSettings, deliveries: new Map<string, number>(), inTurn: createInTurn() };
  const deps: RouteDependencies = { ...rest, billing, streams, planUsage: createPlanUsage(streams, rest.planUsageSeed), requireTenant };
  const shedding = installLoadShedding(app, dependencies.loadShedding);
  installHttpMetrics(app, async () => shedding.metrics() +
    (billing ? webhookDeliveryMetrics(billing.deliveries) : '') + (options.extraMetrics ? await options.extraMetrics() : ''));
  const documents: RouteDocument[] = [];
  const routes = [
    createTenantRoute(deps),
    createMembershipTypeRoute(deps),
    registerMemberRoute(deps),
    bulkChangeStatusRoute(deps),
    changeMemberDetailsRoute(deps),
    ...memberStatusRoutes(deps),
    startOrChangeSubscriptionRoute(deps),
    cancelSubscriptionRoute(deps),
    recordActivitiesRoute(deps),
    startCheckoutRoute(deps),
    openBillingPortalRoute(deps),
    startConnectOnboardingRoute(deps),
    startMemberCheckoutRoute(deps),
    ...(deps.invitations ? [sendInvitationRoute(deps, deps.invitations), resendInvitationRoute(deps, deps.invitations), revokeInvitationRoute(deps)] : []),
  ];
  for (const route of routes) registerCommandRoute(app, deps, requireTenant, documents, route as never);
  installStripeWebhookRoute(app, deps, documents);
  if (deps.invitations) installAcceptInvitationRoute(app, deps, documents);

  installOperationalRoutes(app, 'Membership platform: command API', documents, options.ready);
  return app;
}
