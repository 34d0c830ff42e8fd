import type { SseMessage } from './sse-client';

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

/** The event stream's messages (comments skipped), as EventSource parses them. */
async function* messagesOf(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: SseMessage = { event: 'message', data: '' };
      let isMessage = false;
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) { message.event = line.slice(7); isMessage = true; }
        else if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('data: ')) { message.data += line.slice(6); isMessage = true; }
      }
      if (isMessage) yield message;
    }
  }
}
