/**
 * Open-loop load: starts `send(n)` at a fixed rate for `durationMs`, whether or not earlier sends
 * have finished (a closed loop would slow down with the system and hide its latency), then waits
 * for all of them. Returns how many were started.
 */
export async function runOpenLoop(ratePerSecond: number, durationMs: number, send: (n: number) => Promise<void>) {
  const inFlight: Promise<void>[] = [];
  const start = Date.now();
  let sent = 0;
  while (Date.now() - start < durationMs) {
    const due = Math.floor(((Date.now() - start) / 1000) * ratePerSecond);
    for (; sent < due; sent++) inFlight.push(send(sent));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  return sent;
}
