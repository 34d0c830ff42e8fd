import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 noise, so ids look and sort like Stripe's: unordered. Never rely on id order. */
function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/**
 * A Stripe-shaped id. Checkout session ids are long (`cs_test_` + 58) because the real ones are,
 * account ids short (`acct_` + 16);
 * an adapter that stores them in a short column should find out here, not in production.
 */
export function newId(prefix: string): string {
  if (prefix === 'cs_test') return `cs_test_${randomBase62(58)}`;
  if (prefix === 'acct') return `acct_${randomBase62(16)}`;
  return `${prefix}_${randomBase62(24)}`;
}
