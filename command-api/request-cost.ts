/**
 * What a command weighs against its tenant's rate limit (DESIGN §12): the work it asks for. Read
 * from the body as sent, before validation, so that the limit is taken before anything is done; a
 * body the route then refuses costs what it asked for.
 */
const costByRoute: Record<string, (body: unknown) => number> = {
  // One per member: a bulk action does each member's command.
  'POST /v1/members/bulk': (body) => lengthOf(body, 'memberIds'),
  // One per 100 items: recording activities is one append, but its size grows with them.
  'POST /v1/activities': (body) => Math.ceil(lengthOf(body, 'items') / 100),
};

function lengthOf(body: unknown, field: string): number {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  return Array.isArray(value) ? value.length : 1;
}

/** At least 1; every other command costs 1. */
export function costOfCommand(method: string, url: string, body: unknown): number {
  return Math.max(1, costByRoute[`${method} ${url}`]?.(body) ?? 1);
}
