import { z } from 'zod';

/** Field schemas shared by events and commands. ISO-8601 UTC instants travel as strings. */
export const isoInstant = z.iso.datetime({ offset: false });
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO-4217 code in upper case, e.g. EUR');
export const minorUnits = z.number().int().min(0).max(100_000_000_00);
export const entityId = z.uuid();
