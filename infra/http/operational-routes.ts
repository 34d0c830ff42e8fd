import type { FastifyInstance } from 'fastify';
import { openApiDocument, type DocumentedRoute } from './openapi';

/** /health (alive) and /ready (dependencies reachable; a failure leaves as a 503 problem). */
export function installHealthRoutes(app: FastifyInstance, ready: () => Promise<void>) {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => {
    await ready();
    return { status: 'ready' };
  });
}

/** What every API process serves besides its routes: health, readiness and its OpenAPI document. */
export function installOperationalRoutes(app: FastifyInstance, title: string, documents: DocumentedRoute[], ready: () => Promise<void>) {
  installHealthRoutes(app, ready);
  const document = openApiDocument(title, documents);
  app.get('/docs', async () => document);
  app.get('/docs/openapi.json', async () => document);
}
