import http from 'node:http';

/** Where each delivered change arrived: its position (the SSE id) and the time, per subscriber. */
export type Deliveries = { positions: number[]; arrivedAtMs: number[] };

/**
 * Server-Sent Events subscribers on node:http (far cheaper per connection than fetch: the
 * generator shares the two cores with the platform it measures), one per token, each recording
 * only the ids it receives and when. They connect 50 at a time, and a connection shed (503 with
 * Retry-After) tries again as a browser's EventSource would. Resolves once all are connected.
 */
export async function openSubscribers(queryUrl: string, tokens: string[]) {
  const url = new URL(queryUrl);
  const requests: http.ClientRequest[] = [];
  const deliveries: Deliveries[] = tokens.map(() => ({ positions: [], arrivedAtMs: [] }));
  const retries = { count: 0 };
  const connect = (token: string, received: Deliveries) => new Promise<boolean>((resolve, reject) => {
    const request = http.get({ host: url.hostname, port: url.port, path: '/v1/stream', agent: false,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode === 503) {
        response.resume();
        retries.count += 1;
        setTimeout(() => resolve(false), 1000 * Number(response.headers['retry-after'] ?? 1));
        return;
      }
      if (response.statusCode !== 200) {
        reject(new Error(`subscriber: ${response.statusCode}`));
        response.resume();
        return;
      }
      resolve(true);
      let rest = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const at = Date.now();
        const text = rest + chunk;
        const last = text.lastIndexOf('\n\n');
        rest = last < 0 ? text : text.slice(last + 2);
        const complete = last < 0 ? '' : text.slice(0, last);
        for (const match of complete.matchAll(/^id: (\d+)$/gm)) {
          received.positions.push(Number(match[1]));
          received.arrivedAtMs.push(at);
        }
      });
      response.on('error', () => undefined);
    });
    request.on('error', reject);
    requests.push(request);
  });
  for (let start = 0; start < tokens.length; start += 50) {
    await Promise.all(tokens.slice(start, start + 50).map(async (token, i) => {
      while (!(await connect(token, deliveries[start + i]!)));
    }));
  }
  return { deliveries, retries, close: () => { for (const request of requests) request.destroy(); } };
}
