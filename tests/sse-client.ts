/** A minimal Server-Sent Events reader over fetch, for tests: what a browser's EventSource parses. */
export type SseMessage = { event: string; id?: string; data: string };

export type SseClient = {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  comments: string[];
  /** Resolves once `count` messages arrived (or rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => void;
  /** The body of a refused request (problem+json). */
  body?: any;
};

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const client: SseClient = { status: response.status, headers: response.headers, messages: [], comments: [], waitFor: async () => {}, close: () => abort.abort() };
  if (response.status !== 200) {
    client.body = await response.json();
    return client;
  }
  const waiters: { count: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) if (client.messages.length >= waiter.count) { waiters.splice(waiters.indexOf(waiter), 1); waiter.resolve(); }
  };
  client.waitFor = (count, timeoutMs = 20_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waited for ${count} messages, got ${client.messages.length}`)), timeoutMs);
    waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
    settle();
  });
  void (async () => {
    try {
      for await (const part of sseParts(response.body as unknown as AsyncIterable<Uint8Array>)) {
        if ('comment' in part) client.comments.push(part.comment);
        else client.messages.push(part);
        settle();
      }
    } catch {
      // aborted by close()
    }
  })();
  return client;
}

/** A stream's messages and comments in order, as EventSource parses them (WHATWG HTML §9.2). */
export async function* sseParts(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage | { comment: string }> {
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
        if (line.startsWith(':')) yield { comment: line.slice(1).trim() };
        else if (line.startsWith('event: ')) { message.event = line.slice(7); isMessage = true; }
        else if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('data: ')) { message.data += line.slice(6); isMessage = true; }
      }
      if (isMessage) yield message;
    }
  }
}
