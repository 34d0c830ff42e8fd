import { sseParts, type SseMessage } from './sse-client';

/** Where to connect next: the caller adds Last-Event-ID its own way (a header, or `?lastEventId=` with a new ticket). */
export type StreamConnection = { url: string; headers?: Record<string, string> };

export type StreamFollower = {
  messages: SseMessage[];
  /** The status of each connection made (the first, then each reconnection). */
  statuses: number[];
  /** Connections the server ended (or that failed) and that were made again. */
  reconnects: number;
  close: () => void;
};

/** What a browser's EventSource does before reconnecting (the stream's `retry:` is of this order). */
const reconnectDelayMs = 200;

/**
 * For tests: a browser's EventSource on GET /v1/stream. When the server ends the stream or the
 * connection breaks, it connects again after the last id it saw, as EventSource does, so that a
 * test can assert what a browser would have shown, cut or not. A refused connection (non-200) is
 * recorded and retried too; the test asserts on `statuses`.
 */
export function followStream(connect: (lastEventId: string | undefined) => Promise<StreamConnection>): StreamFollower {
  const abort = new AbortController();
  const follower: StreamFollower = { messages: [], statuses: [], reconnects: 0, close: () => abort.abort() };
  let lastEventId: string | undefined;
  void (async () => {
    for (;;) {
      try {
        const { url, headers = {} } = await connect(lastEventId);
        const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
        follower.statuses.push(response.status);
        if (response.status === 200) {
          for await (const message of messagesOf(response.body as unknown as AsyncIterable<Uint8Array>)) {
            follower.messages.push(message);
            if (message.id !== undefined) lastEventId = message.id;
          }
        } else await response.body?.cancel();
      } catch {
        // a broken connection, or close()
      }
      if (abort.signal.aborted) return;
      follower.reconnects += 1;
      await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs));
    }
  })();
  return follower;
}

/** The event stream's messages, comments skipped. */
async function* messagesOf(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  for await (const part of sseParts(body)) if (!('comment' in part)) yield part;
}
