import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };
export type InjectedReply = { statusCode: number; headers: Record<string, unknown>; body: string };

/**
 * Checks replies against the OpenAPI document the API serves (ajv on its JSON Schemas): a reply to
 * a documented operation must have a documented status and media type, and a JSON body valid
 * against that response's schema. Replies to undocumented paths (health, metrics, unknown routes)
 * are not operations and pass.
 */
export function createResponseValidator(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'doc');
  const templates = Object.keys(document.paths)
    // A literal path wins over a template that also matches (/v1/members/export.csv over {memberId}).
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
    .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`) }));
  const compiled = new Map<string, ValidateFunction>();

  const pointer = (...parts: string[]) => `doc#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

  /** A description of each way the reply departs from the document; empty when it conforms. */
  return function mismatches(method: string, url: string, reply: InjectedReply): string[] {
    const pathname = url.split('?')[0]!;
    const template = templates.find(({ pattern }) => pattern.test(pathname))?.path;
    const operation = template ? document.paths[template]![method.toLowerCase()] : undefined;
    if (!template || !operation) return [];
    const where = `${method} ${template} → ${reply.statusCode}`;
    const response = operation.responses[String(reply.statusCode)];
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')}); body ${reply.body.slice(0, 300)}`];
    const mediaType = String(reply.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!response.content?.[mediaType]) return [`${where}: media type ${mediaType || '(none)'} not documented`];
    if (!mediaType.endsWith('json')) return [];
    const key = pointer('paths', template, method.toLowerCase(), 'responses', String(reply.statusCode), 'content', mediaType, 'schema');
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: key });
      compiled.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(reply.body);
    } catch {
      return [`${where}: body is not JSON`];
    }
    if (validate(body)) return [];
    return [`${where}: ${ajv.errorsText(validate.errors)}; body ${reply.body.slice(0, 500)}`];
  };
}
