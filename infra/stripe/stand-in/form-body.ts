/**
 * Decodes Stripe's application/x-www-form-urlencoded bracket notation into nested values:
 * `metadata[a]=1` → `{ metadata: { a: '1' } }`, `line_items[0][price]=p` → `{ line_items: [{ price: 'p' }] }`,
 * `expand[]=x&expand[]=y` → `{ expand: ['x', 'y'] }`. Leaves stay strings, as Stripe receives them.
 */
export type FormValue = string | FormValue[] | FormObject;
export type FormObject = { [key: string]: FormValue };

export function decodeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    if (path.length > 0) assign(root, path, value);
  }
  return root;
}

/** `a[b][0][]` → ['a', 'b', '0', '']; a key without brackets is one segment. */
function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const segments = [key.slice(0, first)];
  const pattern = /\[([^\]]*)\]/g;
  for (const match of key.slice(first).matchAll(pattern)) segments.push(match[1] ?? '');
  return segments;
}

function isIndex(segment: string): boolean {
  return segment === '' || /^\d+$/.test(segment);
}

function assign(container: FormObject | FormValue[], path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const child = rest.length === 0 ? value : existingOrNew(container, head, rest[0] ?? '');
  if (Array.isArray(container)) {
    // `[]` appends; `[n]` addresses slot n, so `a[0][x]` and `a[0][y]` meet in one object.
    const index = head === '' ? container.length : Number(head);
    container[index] = child;
  } else {
    container[head] = child;
  }
  if (rest.length > 0 && typeof child !== 'string') assign(child, rest, value);
}

function existingOrNew(container: FormObject | FormValue[], head: string, next: string): FormObject | FormValue[] {
  const existing = Array.isArray(container)
    ? head === '' ? undefined : container[Number(head)]
    : container[head];
  if (existing !== undefined && typeof existing !== 'string') return existing;
  return isIndex(next) ? [] : {};
}

/** Reads a string leaf; anything else (absent, nested) is undefined. */
export function formString(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads a nested object such as `metadata`; a string there (e.g. `metadata=`) means "empty". */
export function formObject(value: FormValue | undefined): FormObject | undefined {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return undefined;
  return value;
}

/** Reads an array such as `line_items`, dropping holes left by sparse indexes. */
export function formArray(value: FormValue | undefined): FormValue[] {
  return Array.isArray(value) ? value.filter((item) => item !== undefined) : [];
}

/**
 * Applies a metadata param the way Stripe does: `metadata[k]=v` sets k, `metadata[k]=` unsets k,
 * and `metadata=` (an empty string) clears everything. Nested values are dropped.
 */
export function applyMetadata(current: Record<string, string>, value: FormValue | undefined): Record<string, string> {
  if (value === undefined) return { ...current };
  if (value === '') return {};
  const next = { ...current };
  for (const [key, leaf] of Object.entries(formObject(value) ?? {})) {
    if (leaf === '') delete next[key];
    else if (typeof leaf === 'string') next[key] = leaf;
  }
  return next;
}
