/**
 * Stripe's error replies, declared once. The body shape is Stripe's
 * `{ error: { type, message, code?, param?, doc_url? } }`, so the SDK turns each into the same error
 * class it would raise against the real API (400/404 → StripeInvalidRequestError, 401 → StripeAuthenticationError).
 */
export type StripeErrorBody = {
  error: { type: string; message: string; code?: string; param?: string; doc_url?: string };
};

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.error.message);
  }
}

function invalidRequest(status: number, message: string, code?: string, param?: string): StripeApiError {
  const error: StripeErrorBody['error'] = { type: 'invalid_request_error', message };
  if (code !== undefined) {
    error.code = code;
    error.doc_url = `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
  }
  if (param !== undefined) error.param = param;
  return new StripeApiError(status, { error });
}

export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(400, `Missing required param: ${param}.`, 'parameter_missing', param);
}

export function parameterInvalid(param: string, message: string): StripeApiError {
  return invalidRequest(400, message, 'parameter_invalid_empty', param);
}

export function parameterValue(param: string, message: string): StripeApiError {
  return invalidRequest(400, message, undefined, param);
}

/** A referenced object does not exist: 400 when it is a parameter, 404 when it is the URL's id. */
export function resourceMissing(kind: string, id: string, param: string, status: 400 | 404 = 400): StripeApiError {
  return invalidRequest(status, `No such ${kind}: '${id}'`, 'resource_missing', param);
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return invalidRequest(
    404,
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}

export function missingApiKey(): StripeApiError {
  return invalidRequest(
    401,
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
  );
}

export function invalidApiKey(key: string): StripeApiError {
  const shown = key.length > 8 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : key;
  return invalidRequest(401, `Invalid API Key provided: ${shown}`);
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(400, {
    error: {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    },
  });
}

/**
 * A meter event whose identifier was already accepted in the last 24 hours.
 * Stripe's v1 /billing/meter_events answers HTTP 400 invalid_request_error with the message
 * "An event already exists with identifier <id>." and NO `code` (observed by several integrations;
 * the `duplicate_meter_event` code is documented for the v2 endpoint only).
 */
export function duplicateMeterEvent(identifier: string): StripeApiError {
  return invalidRequest(400, `An event already exists with identifier ${identifier}.`);
}

/** A request Stripe understands but refuses in the object's current state. */
export function invalidState(message: string): StripeApiError {
  return invalidRequest(400, message);
}

/**
 * A Stripe-Account header (or account id in the URL) the platform cannot act for: HTTP 403, which
 * the SDK raises as StripePermissionError, with Stripe's message (the key shown masked) and code.
 */
export function accountInvalid(key: string, account: string): StripeApiError {
  const masked = `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 8))}`;
  return invalidRequest(
    403,
    `The provided key '${masked}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
    'account_invalid',
  );
}

/** A parameter only a platform acting for a connected account may send. */
export function connectOnly(param: string, message: string): StripeApiError {
  return invalidRequest(400, message, undefined, param);
}

/** Stripe's refusal to charge on an account whose charges are disabled (onboarding not finished). */
export function chargesDisabled(account: string): StripeApiError {
  return invalidRequest(
    400,
    `Your account cannot currently make charges. To find out why charge creation is currently disabled, look at the \`requirements.disabled_reason\` property on this account (/v1/accounts/${account}).`,
  );
}
