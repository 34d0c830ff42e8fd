import type { Pool } from 'pg';

/**
 * For tests: a pool's query port that counts the statements matching `pattern` (`count`, which
 * a test may reset), so that a test can assert how many round trips a behaviour costs.
 */
export function countingQueries(pool: Pick<Pool, 'query'>, pattern: RegExp) {
  const counted = {
    count: 0,
    query: ((text: string, values?: unknown[]) => {
      if (pattern.test(text)) counted.count += 1;
      return pool.query(text, values);
    }) as Pool['query'],
  };
  return counted;
}
