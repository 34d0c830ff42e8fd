/** Latency summary in milliseconds: nearest-rank percentiles over all samples. */
export function summarise(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!));
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Runs `workers` loops of `step` until `durationMs` has passed; returns the measured wall time. */
export async function runFor(durationMs: number, workers: number, step: (worker: number) => Promise<void>) {
  const start = Date.now();
  const deadline = start + durationMs;
  await Promise.all(Array.from({ length: workers }, async (_, worker) => {
    while (Date.now() < deadline) await step(worker);
  }));
  return Date.now() - start;
}
