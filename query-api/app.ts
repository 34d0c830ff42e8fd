import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { edgeErrorOptions } from '../infra/http/edge-errors';
import type { DocumentedRoute } from '../infra/http/openapi';
import { installOperationalRoutes } from '../infra/http/operational-routes';
import { installProblemHandling } from '../infra/http/problem';
import { installUnstorableTextGuard } from '../infra/http/unstorable-text';
import { installHttpMetrics } from '../infra/metrics/http-metrics';
import { installLoadShedding } from '../infra/http/load-shedding';
import type { QueryApiDependencies } from './dependencies';
import { registerQueryRoute } from './query-route';
import { createTenantPlans } from './tenant-plans';
import { analyticsEngagementRoute } from './routes/analytics/analytics-engagement';
import { analyticsOverviewRoute } from './routes/analytics/analytics-overview';
import { analyticsRetentionRoute } from './routes/analytics/analytics-retention';
import { analyticsRevenueRoute } from './routes/analytics/analytics-revenue';
import { listAuditEventsRoute } from './routes/audit/list-events';
import { devOutboxRoute } from './routes/invitations/dev-outbox';
import { listInvitationsRoute } from './routes/invitations/list-invitations';
import { installDashboard } from './routes/dashboard-route';
import { installConsole } from './routes/console-route';
import { consoleDefaults } from '../infra/config/config';
import { installCreateStreamTicket } from './routes/stream/create-stream-ticket';
import { installFollowStream } from './routes/stream/follow-stream';
import { exportMembersRoute } from './routes/members/export-members';
import { getMemberRoute } from './routes/members/get-member';
import { listMembersRoute } from './routes/members/list-members';
import { listMembershipTypesRoute } from './routes/membership-types/list-membership-types';
import { getTenantRoute } from './routes/tenant/get-tenant';
import { getTenantUsageRoute } from './routes/tenant/get-tenant-usage';

export type QueryApiOptions = { logger: FastifyServerOptions['logger']; ready: () => Promise<void>;
  /** One log line per request; off by default, it costs a measurable share of a core under load. */
  logRequests?: boolean;
  /** The command API's origins the admin console may call (CONSOLE_COMMAND_API_ORIGINS); consoleDefaults otherwise. */
  consoleCommandApiOrigins?: readonly string[];
};

export function buildQueryApi(deps: QueryApiDependencies, options: QueryApiOptions) {
  const app = Fastify({ ...edgeErrorOptions, logger: options.logger, logController: new LogController({ disableRequestLogging: !options.logRequests }), genReqId: () => randomUUID() });
  installProblemHandling(app);
  installUnstorableTextGuard(app);
  const shedding = installLoadShedding(app, deps.loadShedding);
  installHttpMetrics(app, async () => shedding.metrics() + (deps.analyticsAnswers?.metrics() ?? ''));
  const documents: DocumentedRoute[] = [];
  const routes = [
    listMembersRoute(deps), exportMembersRoute(deps), getMemberRoute(deps), listMembershipTypesRoute(deps),
    getTenantRoute(deps), getTenantUsageRoute(deps), listAuditEventsRoute(deps),
    analyticsOverviewRoute(deps), analyticsEngagementRoute(deps), analyticsRetentionRoute(deps), analyticsRevenueRoute(deps),
    listInvitationsRoute(deps), ...(deps.outbox ? [devOutboxRoute(deps, deps.outbox)] : []),
  ];
  const routeDeps = { ...deps, tenantPlans: deps.tenantPlans ?? createTenantPlans(deps.db) };
  for (const route of routes) registerQueryRoute(app, routeDeps, documents, route as never);
  if (deps.live) {
    installFollowStream(app, routeDeps, deps.live, documents);
    installCreateStreamTicket(app, routeDeps, deps.live, documents);
  }
  installDashboard(app);
  installConsole(app, { commandApiOrigins: options.consoleCommandApiOrigins ?? consoleDefaults.commandApiOrigins });
  installOperationalRoutes(app, 'Membership platform: query API', documents, options.ready);
  return app;
}
