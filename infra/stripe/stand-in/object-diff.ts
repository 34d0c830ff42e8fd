/**
 * A deep copy in wire form: exactly what a webhook receiver would parse. Decimal fields become
 * strings here, as they are on the wire; an event must never share structure with live state.
 */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Stripe's `previous_attributes`: the old value of every changed key. Nested hashes recurse and keep
 * only changed sub-keys; a changed array is given whole (so a price change yields `items.data: [old item]`).
 */
export function previousAttributes(before: unknown, after: unknown): Record<string, Json> {
  const old = snapshot(before) as Json;
  const now = snapshot(after) as Json;
  return isRecord(old) && isRecord(now) ? diff(old, now) : {};
}

function diff(old: { [key: string]: Json }, now: { [key: string]: Json }): Record<string, Json> {
  const changed: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    const was = old[key];
    const is = now[key];
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    if (isRecord(was) && isRecord(is)) changed[key] = diff(was, is);
    else changed[key] = was === undefined ? null : was;
  }
  return changed;
}
