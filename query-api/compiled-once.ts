import type { Compilable, CompiledQuery } from 'kysely';

/**
 * `build` compiled once per distinct arguments (as JSON), the `max` most recently used kept:
 * building and compiling the member list's queries with kysely cost ~8 % of a list request, and
 * consoles ask for the same first pages and counts again and again. `build` must depend on its
 * arguments only.
 */
export function compiledOnce<Args extends unknown[], Row>(build: (...args: Args) => Compilable<Row>, max = 500) {
  const compiled = new Map<string, CompiledQuery<Row>>();
  return (...args: Args): Compilable<Row> => {
    const key = JSON.stringify(args);
    let query = compiled.get(key);
    if (query) compiled.delete(key); // set again below: the most recently used come last
    else query = build(...args).compile();
    compiled.set(key, query);
    if (compiled.size > max) compiled.delete(compiled.keys().next().value!);
    const once = query;
    return { compile: () => once };
  };
}
