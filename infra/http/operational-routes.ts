import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
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

/**
 * What /docs needs and no more: Swagger UI's scripts and styles come from this origin (no inline
 * script); its components set inline styles and its icons are data: URIs; it fetches the document
 * and "Try it out" calls this same origin; nothing may frame it.
 */
export const docsContentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
  + "font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * What every API process serves besides its routes: health, readiness, its OpenAPI document at
 * /docs/openapi.json and a browsable reference of it at /docs (@fastify/swagger-ui, served from
 * the package, on the document as built here: @fastify/swagger only hands it over).
 */
export function installOperationalRoutes(app: FastifyInstance, title: string, documents: DocumentedRoute[], ready: () => Promise<void>) {
  installHealthRoutes(app, ready);
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/docs/openapi.json', async (_request, reply) => {
    reply.header('content-security-policy', docsContentSecurityPolicy);
    return document;
  });
  // Plugins load once the app is assembled: the document then has the routes installed after this call too.
  void app.register(async (scope) => {
    document = openApiDocument(title, documents);
    await scope.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
    await scope.register(fastifySwaggerUi, {
      routePrefix: '/docs', staticCSP: docsContentSecurityPolicy,
      // The page reads the same document from the plugin's own /docs/json.
      uiConfig: { validatorUrl: null, deepLinking: true },
    });
  });
}
