import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../../domain/shared/domain-error';
import { validationProblem } from './problem';

/**
 * PostgreSQL text is UTF-8 without NUL: it refuses U+0000 and half of a UTF-16 surrogate pair
 * (which JSON's `\ud800` escape and `%00` in a URL both let a client send). A value it refuses
 * must be refused here, before a route claims, appends or streams anything.
 */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Enough to name what is wrong; a body of 10,000 bad strings needs no 10,000 lines back. */
const maxErrors = 20;

const printable = (text: string) => text.replace(new RegExp(unstorable.source, 'g'), '\ufffd');

/**
 * Every string (value or key) in a parsed JSON value, query or params that PostgreSQL would refuse,
 * by field path (`items.0.type`, as zod names them). Walks with its own stack: a deeply nested
 * body must not overflow the call stack.
 */
export function unstorableTextFields(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (pending.length > 0 && errors.length < maxErrors) {
    const { value: next, path } = pending.pop()!;
    if (typeof next === 'string') {
      if (unstorable.test(next)) errors.push({ path: path.join('.') || '(root)', message: 'Contains U+0000 or a lone UTF-16 surrogate.' });
    } else if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i -= 1) pending.push({ value: next[i], path: [...path, String(i)] });
    } else if (next !== null && typeof next === 'object' && !Buffer.isBuffer(next)) {
      for (const [key, child] of Object.entries(next).reverse()) {
        const childPath = [...path, printable(key)];
        if (unstorable.test(key)) errors.push({ path: childPath.join('.'), message: 'The field name contains U+0000 or a lone UTF-16 surrogate.' });
        else pending.push({ value: child, path: childPath });
      }
    }
  }
  return errors;
}

/** One check for every route of an app: body, query and path parameters, before any handler runs. */
export function installUnstorableTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const errors = [request.params, request.query, request.body].flatMap(unstorableTextFields).slice(0, maxErrors);
    if (errors.length > 0) throw validationProblem(errors);
  });
}
