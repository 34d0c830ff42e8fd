/**
 * A business refusal. It names a stable `code` and a `kind`; the HTTP layer maps kinds to statuses
 * in one table, so the domain never knows about HTTP. `gone`: what was addressed existed and has
 * ended for good (a revoked or expired invitation).
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'payment-required' | 'gone';

export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    /** Extra members of the problem body that name what was refused (e.g. `resource`, `limit`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const conflict = (code: string, message: string) => new DomainError(code, 'conflict', message);
export const notFound = (code: string, message: string) => new DomainError(code, 'not-found', message);
export const invalid = (code: string, message: string, fieldErrors: FieldError[] = []) =>
  new DomainError(code, 'invalid', message, fieldErrors);
export const paymentRequired = (code: string, message: string) => new DomainError(code, 'payment-required', message);
export const gone = (code: string, message: string) => new DomainError(code, 'gone', message);
