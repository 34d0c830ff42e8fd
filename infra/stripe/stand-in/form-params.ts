import { formString, type FormObject } from './form-body';
import { parameterMissing, parameterValue, StripeApiError } from './stripe-errors';

/** Reading one request parameter the way Stripe validates it; an empty string counts as absent. */
export function requiredParam(params: FormObject, name: string): string {
  const value = formString(params[name]);
  if (value === undefined || value === '') throw parameterMissing(name);
  return value;
}

export function optionalParam(params: FormObject, name: string): string | null {
  const value = formString(params[name]);
  return value === undefined || value === '' ? null : value;
}

export function booleanParam(params: FormObject, name: string): boolean | undefined {
  const value = formString(params[name]);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw parameterValue(name, `Invalid boolean: ${value}`);
  return value === 'true';
}

/** A non-negative whole number, as Stripe's integer params (amounts in minor units). */
export function integerParam(value: string | undefined, name: string): number {
  if (value === undefined || value === '') throw parameterMissing(name);
  if (!/^\d+$/.test(value)) {
    throw new StripeApiError(400, {
      error: { type: 'invalid_request_error', message: 'Invalid integer', code: 'parameter_invalid_integer', param: name },
    });
  }
  return Number(value);
}

/** One of a fixed set of values, such as `proration_behavior`. */
export function enumParam<T extends string>(params: FormObject, name: string, allowed: readonly T[]): T | undefined {
  const value = formString(params[name]);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw parameterValue(name, `Invalid ${name}: must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A percentage such as `application_fee_percent`: 0 to 100, at most two decimals. */
export function percentParam(value: string | undefined, name: string): number | null {
  if (value === undefined || value === '') return null;
  const percent = Number(value);
  if (!/^\d+(\.\d{1,2})?$/.test(value) || percent > 100) {
    throw parameterValue(name, 'Invalid decimal: must be between 0 and 100 with at most two decimal places.');
  }
  return percent;
}
