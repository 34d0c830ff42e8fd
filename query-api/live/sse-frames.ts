import type { MemberChange } from './member-change-reader';

/** Server-Sent Events framing (WHATWG HTML §9.2) of what GET /v1/stream sends (DESIGN §12). */

/** How long a browser waits before reconnecting on its own, sent once at the start. */
export const reconnectAfterFrame = 'retry: 2000\n\n';

/** A comment: keeps proxies and load balancers from closing an idle connection. */
export const heartbeatFrame = ': heartbeat\n\n';

/** A feed hands the same change objects to each of its subscribers: each frame is written once. */
const framed = new WeakMap<MemberChange, string>();

/** `id` is the position, which the browser sends back as Last-Event-ID when it reconnects. */
export function memberChangeFrame(change: MemberChange): string {
  let frame = framed.get(change);
  if (frame === undefined) {
    const data = { memberId: change.memberId, status: change.status, revision: change.revision, position: change.position };
    frame = `event: member\nid: ${change.position}\ndata: ${JSON.stringify(data)}\n\n`;
    framed.set(change, frame);
  }
  return frame;
}
