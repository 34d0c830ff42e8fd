import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { installMetricsRoute } from '../metrics/http-metrics';
import { edgeErrorOptions } from './edge-errors';
import { installHealthRoutes } from './operational-routes';
import { installProblemHandling } from './problem';

export type OperationsServerOptions = {
  logger: FastifyServerOptions['logger'];
  ready: () => Promise<void>;
  /** Prometheus text appended to the process metrics (lag gauges, counters). */
  metrics: () => Promise<string>;
};

/**
 * The HTTP face of a worker role (publisher, projectors), which serves no API: /health, /ready
 * and /metrics, as DESIGN §3 asks of every process.
 */
export function buildOperationsServer(options: OperationsServerOptions) {
  const app = Fastify({ ...edgeErrorOptions, logger: options.logger, logController: new LogController({ disableRequestLogging: true }) });
  installProblemHandling(app);
  installHealthRoutes(app, options.ready);
  installMetricsRoute(app, async () => [], options.metrics);
  return app;
}
