import type { JsonClient } from '../load/http-client';

/** Samples the platform's resident memory from its /metrics every 250 ms. */
export function startMemorySampler(client: JsonClient) {
  let max = 0;
  const timer = setInterval(async () => {
    const reply = await client.request('GET', '/metrics', '').catch(() => undefined);
    const match = reply && /process_resident_memory_bytes (\d+)/.exec(String(reply.body));
    if (match) max = Math.max(max, Number(match[1]));
  }, 250);
  return {
    reset: () => {
      max = 0;
    },
    maxMb: () => Math.round(max / 1024 / 1024),
    stop: () => clearInterval(timer),
  };
}
