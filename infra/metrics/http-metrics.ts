import type { FastifyInstance } from 'fastify';

/**
 * Prometheus text for an app: request counts and latency sums by route and status, plus process
 * memory and whatever `extra` adds (lag gauges of the worker roles). Kept to what /metrics needs
 * today; a fuller registry can replace it behind this function.
 */
export function installHttpMetrics(app: FastifyInstance, extra: () => Promise<string> = async () => '') {
  const counts = new Map<string, { count: number; seconds: number }>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
    const entry = counts.get(key) ?? { count: 0, seconds: 0 };
    entry.count += 1;
    entry.seconds += reply.elapsedTime / 1000;
    counts.set(key, entry);
  });
  installMetricsRoute(app, async () => {
    const lines = ['# TYPE http_requests_total counter', '# TYPE http_request_seconds_sum counter'];
    for (const [labels, { count, seconds }] of counts) {
      lines.push(`http_requests_total{${labels}} ${count}`, `http_request_seconds_sum{${labels}} ${seconds.toFixed(6)}`);
    }
    return lines;
  }, extra);
}

/** GET /metrics: the given lines, the process's memory, then `extra`. */
export function installMetricsRoute(app: FastifyInstance, lines: () => Promise<string[]>, extra: () => Promise<string>) {
  app.get('/metrics', async (_request, reply) => {
    const all = await lines();
    // Resident memory, and how much of it is the JavaScript heap (the rest: native code such as chDB, buffers).
    const memory = process.memoryUsage();
    all.push('# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${memory.rss}`,
      '# TYPE nodejs_heap_used_bytes gauge', `nodejs_heap_used_bytes ${memory.heapUsed}`,
      '# TYPE nodejs_heap_total_bytes gauge', `nodejs_heap_total_bytes ${memory.heapTotal}`,
      '# TYPE nodejs_external_memory_bytes gauge', `nodejs_external_memory_bytes ${memory.external + memory.arrayBuffers}`);
    return reply.type('text/plain; version=0.0.4').send(`${all.join('\n')}\n${await extra()}`);
  });
}
