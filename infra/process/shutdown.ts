/**
 * Stops a role process in order on SIGINT/SIGTERM: `close` gets 15 s, then the process exits
 * anyway. A second signal while closing is ignored (the timer still stands).
 */
export function closeOnSignal(name: string, close: () => Promise<void>) {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`${name}: ${signal}, shutting down…`);
    setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await close();
      process.exit(0);
    } catch (error) {
      console.error(`${name}: while shutting down:`, error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
