import { z } from 'zod';
import { jsonSchemaOf, responseComponents, responsesOf, type ResponseDeclaration, type RouteKind } from './openapi-responses';

export type DocumentedRoute = ResponseDeclaration & {
  method: string; url: string; summary: string; roles: readonly string[]; body?: z.ZodType; params?: z.ZodType; query?: z.ZodType;
  /** For a route without a bearer token: how it is authenticated instead. */
  authenticatedBy?: string;
  /** Default: a GET is a query, any other method a command (tenant checks, Idempotency-Key, If-Match). */
  kind?: RouteKind;
  provisionsTenant?: true;
  allowedWhileSuspended?: true;
};

/** An OpenAPI 3.1 document built from the same zod schemas the routes validate with. */
export function openApiDocument(title: string, routes: DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const params = Object.keys(shapeOf(route.params));
    const hasBody = route.body !== undefined && route.method !== 'GET';
    const parameters = [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } })),
      ...Object.entries(shapeOf(route.query)).map(([name, schema]) => ({ name, in: 'query', required: false, schema: jsonSchemaOf(schema as z.ZodType, 'input') })),
    ];
    const kind = route.kind ?? (route.authenticatedBy ? 'unauthenticated' : route.method === 'GET' ? 'query' : 'command');
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = {
      operationId: operationId(route.method, route.url),
      summary: route.summary,
      description: route.authenticatedBy ?? `Roles: ${route.roles.join(', ')}`,
      security: route.authenticatedBy ? [] : [{ bearer: [] }],
      parameters,
      ...(hasBody ? {
        requestBody: { required: false, content: { 'application/json': { schema: jsonSchemaOf(route.body!, 'input') } } },
      } : {}),
      responses: responsesOf({ ...route, kind, hasParams: params.length > 0, hasBody }),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title, version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, ...responseComponents },
    paths,
  };
}

/** `POST /v1/members/:memberId/suspend` → `postV1MembersMemberIdSuspend`: stable names for generated clients. */
function operationId(method: string, url: string) {
  const words = url.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

function shapeOf(schema: z.ZodType | undefined): Record<string, unknown> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {};
}
