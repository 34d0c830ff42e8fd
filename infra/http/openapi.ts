import { z } from 'zod';

export type DocumentedRoute = {
  method: string; url: string; summary: string; roles: readonly string[]; body?: z.ZodType; params?: z.ZodType; query?: z.ZodType;
  /** For a route without a bearer token: how it is authenticated instead. */
  authenticatedBy?: string;
};

/** An OpenAPI 3.1 document built from the same zod schemas the routes validate with. */
export function openApiDocument(title: string, routes: DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...Object.keys(shapeOf(route.params)).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } })),
      ...Object.entries(shapeOf(route.query)).map(([name, schema]) => ({ name, in: 'query', required: false, schema: z.toJSONSchema(schema as z.ZodType, { unrepresentable: 'any', io: 'input' }) })),
    ];
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = {
      summary: route.summary,
      description: route.authenticatedBy ?? `Roles: ${route.roles.join(', ')}`,
      security: route.authenticatedBy ? [] : [{ bearer: [] }],
      parameters,
      ...(route.body && route.method !== 'GET' ? {
        requestBody: { required: false, content: { 'application/json': { schema: z.toJSONSchema(route.body, { unrepresentable: 'any', io: 'input' }) } } },
      } : {}),
      responses: { default: { description: 'JSON, or application/problem+json on error' } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title, version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}

function shapeOf(schema: z.ZodType | undefined): Record<string, unknown> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {};
}
