import type { FastifyInstance } from 'fastify';
import { openApiDocument, type DocumentedRoute } from './openapi';

/**
 * What every process serves besides its API: /health (alive), /ready (dependencies reachable; a
 * failure leaves as a 503 problem) and its OpenAPI document at /docs and /docs/openapi.json.
 */
export function installOperationalRoutes(app: FastifyInstance, title: string, documents: DocumentedRoute[], ready: () => Promise<void>) {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => {
    await ready();
    return { status: 'ready' };
  });
  const document = openApiDocument(title, documents);
  app.get('/docs', async () => document);
  app.get('/docs/openapi.json', async () => document);
}
