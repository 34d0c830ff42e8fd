import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { formObject, formString } from './form-body';
import type { Route } from './api-route';
import { duplicateMeterEvent, parameterMissing, parameterValue, StripeApiError } from './stripe-errors';

const DAY_SECONDS = 24 * 60 * 60;
/** Stripe accepts event timestamps from 35 calendar days ago up to 5 minutes ahead. */
const OLDEST_SECONDS = 35 * DAY_SECONDS;
const NEWEST_SECONDS = 5 * 60;
/** Stripe promises identifier uniqueness over "a rolling period of at least 24 hours"; we use exactly 24 h. */
const IDENTIFIER_WINDOW_SECONDS = DAY_SECONDS;

function invalidInteger(param: string): StripeApiError {
  return new StripeApiError(400, {
    error: { type: 'invalid_request_error', message: 'Invalid integer', code: 'parameter_invalid_integer', param },
  });
}

/**
 * POST /v1/billing/meter_events. Like Stripe, the customer is not checked synchronously (Stripe
 * reports unknown customers later, through billing.meter.error_report_triggered); we log it.
 * A retried request with the same Idempotency-Key is replayed before it reaches here, so only a
 * NEW request reusing an identifier is refused, as Stripe does.
 */
const createMeterEvent: Route = {
  method: 'POST',
  path: /^\/v1\/billing\/meter_events$/,
  handle(context, params) {
    const now = context.now();
    const eventName = formString(params['event_name']);
    if (eventName === undefined || eventName === '') throw parameterMissing('event_name');
    const payload = formObject(params['payload']);
    if (payload === undefined) throw parameterMissing('payload');
    const customer = formString(payload['stripe_customer_id']);
    if (customer === undefined || customer === '') throw parameterMissing('payload[stripe_customer_id]');
    const value = formString(payload['value']);
    if (value === undefined || value === '') throw parameterMissing('payload[value]');
    if (!/^\d+$/.test(value)) throw invalidInteger('payload[value]'); // whole, non-negative units

    const rawTimestamp = formString(params['timestamp']);
    if (rawTimestamp !== undefined && !/^\d+$/.test(rawTimestamp)) throw invalidInteger('timestamp');
    const timestamp = rawTimestamp === undefined ? now : Number(rawTimestamp);
    if (timestamp < now - OLDEST_SECONDS || timestamp > now + NEWEST_SECONDS) {
      throw parameterValue('timestamp', 'Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.');
    }

    const identifier = formString(params['identifier']) || randomUUID();
    if (identifier.length > 100) throw parameterValue('identifier', 'Identifier must be at most 100 characters.');
    const seenAt = context.store.meterIdentifiers.get(identifier);
    if (seenAt !== undefined && seenAt > now - IDENTIFIER_WINDOW_SECONDS) throw duplicateMeterEvent(identifier);

    if (!context.store.customers.has(customer)) context.log(`meter event ${identifier}: unknown customer ${customer} (Stripe would report it later)`);
    const stringPayload: Record<string, string> = {};
    for (const [key, leaf] of Object.entries(payload)) if (typeof leaf === 'string') stringPayload[key] = leaf;
    const event: Stripe.Billing.MeterEvent = {
      object: 'billing.meter_event',
      created: now,
      event_name: eventName,
      identifier,
      livemode: false,
      payload: stringPayload,
      timestamp,
    };
    context.store.meterIdentifiers.set(identifier, now);
    context.store.meterEvents.push(event);
    return { body: event };
  },
};

export const meterEventRoutes: Route[] = [createMeterEvent];
