// The billing bench's load generator, in its own thread so that its CPU does not count against
// the platform's event loop (Stripe's deliveries come from elsewhere). Plain JavaScript: a worker
// thread does not inherit tsx's loader. Signs each body as Stripe does (HMAC-SHA256 of
// "<t>.<body>") just before sending it.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, secret, lives, concurrency } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function deliver(body) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return new Promise((resolve, reject) => {
    const request = http.request({
      agent, host: target.hostname, port: target.port, method: 'POST', path: '/v1/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'stripe-signature': `t=${timestamp},v1=${signature}` },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`delivery answered ${response.statusCode}: ${Buffer.concat(chunks)}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

let next = 0;
const started = performance.now();
try {
  await Promise.all(Array.from({ length: Math.min(concurrency, lives.length) }, async () => {
    while (next < lives.length) {
      for (const body of lives[next++]) await deliver(body);
    }
  }));
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000 });
} catch (error) {
  parentPort.postMessage({ error: String(error) });
} finally {
  agent.destroy();
}
