import { Readable } from 'node:stream';
import { z } from 'zod';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { decodeCursor, invalidCursor } from './member-cursor';
import { memberFilterSchema, memberPageQuery, toMemberPage } from './member-page';
import type { MemberView } from './member-view';
import type { SubscriptionView } from './subscription-view';

const memberColumns = ['memberId', 'email', 'firstName', 'lastName', 'status', 'membershipTypeId', 'membershipTypeName',
  'createdAt', 'updatedAt', 'lastActivityAt'] as const;
/** After the member's own columns, so that a reader of the older export finds them where they were. */
const subscriptionColumns: Record<string, (s: SubscriptionView | null) => string | number | null> = {
  subscriptionStatus: (s) => s?.status ?? 'none',
  subscriptionBilling: (s) => s?.billing ?? null,
  subscriptionMembershipTypeId: (s) => s?.membershipTypeId ?? null,
  subscriptionMonthlyAmountCents: (s) => s?.monthlyAmountCents ?? null,
  subscriptionCurrency: (s) => s?.currency ?? null,
  subscriptionPeriodEnd: (s) => s?.periodEnd ?? null,
  subscriptionPendingChange: (s) => s?.pendingChange?.membershipTypeId ?? null,
};
const header = [...memberColumns, ...Object.keys(subscriptionColumns)].join(',');
const pageSize = 1000;

/** RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (member: MemberView) => `${[
  ...memberColumns.map((c) => member[c]), ...Object.values(subscriptionColumns).map((cell) => cell(member.subscription)),
].map(csvCell).join(',')}\r\n`;

/** The filtered member list as CSV, streamed page by page so memory stays flat for any tenant size. */
export function exportMembersRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof memberFilterSchema>, object> {
  return {
    url: '/v1/members/export.csv', summary: 'The filtered member list as streamed CSV', roles: readerRoles,
    query: memberFilterSchema, params: z.object({}),
    contentType: 'text/csv', refusals: [invalidCursor],
    handle: async ({ query, principal, reply }) => {
      const pageAfter = async (cursor: string | null) => {
        const [found] = await deps.reads.read(principal.tenantId, [memberPageQuery(deps.db, query, cursor ? decodeCursor(cursor, query.sort) : null, pageSize)]);
        return toMemberPage(found, query, pageSize);
      };
      // The first page is read before the status line leaves: whatever refuses the request (a
      // filter, a timeout, a database down) is still a problem+json, not a CSV cut after its header.
      const first = await pageAfter(null);
      async function* lines() {
        yield `${header}\r\n`;
        let page = first;
        yield page.items.map(csvLine).join('');
        while (page.nextCursor) {
          page = await pageAfter(page.nextCursor);
          yield page.items.map(csvLine).join('');
        }
      }
      reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="members.csv"');
      return reply.send(Readable.from(lines()));
    },
  };
}
