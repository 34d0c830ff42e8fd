import http from 'node:http';

export type JsonReply = { status: number; body: any; headers: http.IncomingHttpHeaders };

/**
 * A keep-alive JSON client on node:http, for the seed and benchmark load generators: it costs far
 * less CPU per request than fetch, which matters when the generator shares two cores with the
 * platform it measures.
 */
export function createJsonClient(baseUrl: string, maxSockets = 64) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    request(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonReply> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const request = http.request({
          agent, host: url.hostname, port: url.port, method, path,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            ...headers,
          },
        }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (CSV, metrics): keep the text
            }
            resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers });
          });
        });
        request.on('error', reject);
        request.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

export type JsonClient = ReturnType<typeof createJsonClient>;

/**
 * Sends again, as a well-behaved client does, while the platform sheds load (429, or 503 with
 * Retry-After: overloaded, projections behind): a seed must slow down, not fail.
 */
export async function whileShed(send: () => Promise<JsonReply>, maxWaitMs = 120_000): Promise<JsonReply> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const reply = await send();
    const shed = reply.status === 429 || (reply.status === 503 && reply.headers['retry-after'] !== undefined);
    if (!shed || Date.now() > deadline) return reply;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Number(reply.headers['retry-after']) * 1000 || 200)));
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrently<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  }));
}
