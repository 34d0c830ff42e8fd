import type { MemberChange } from './member-change-reader';

/** Server-Sent Events framing (WHATWG HTML §9.2) of what GET /v1/stream sends (DESIGN §12). */

/** How long a browser waits before reconnecting on its own, sent once at the start. */
export const reconnectAfterFrame = 'retry: 2000\n\n';

/** A comment: keeps proxies and load balancers from closing an idle connection. */
export const heartbeatFrame = ': heartbeat\n\n';

/** `id` is the position, which the browser sends back as Last-Event-ID when it reconnects. */
export function memberChangeFrame(change: MemberChange): string {
  const data = { memberId: change.memberId, status: change.status, revision: change.revision, position: change.position };
  return `event: member\nid: ${change.position}\ndata: ${JSON.stringify(data)}\n\n`;
}
