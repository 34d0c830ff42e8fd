/**
 * Embedded mode's back-pressure on writes: the read-model projection shares the process with the
 * command API, and commands accepted faster than it applies them only grow its lag (and every
 * read-your-writes wait). This tracks the oldest append of this process the projection has not
 * applied yet; past `maxLagMs` the command API sheds new requests (503 overloaded, see
 * infra/http/load-shedding.ts) until it has caught up, so the lag stays bounded while commands are
 * accepted. The default bound is the configuration's (defaultMaxProjectionLagMs).
 */
export function createProjectionPressure(maxLagMs: number, clock: () => number = Date.now) {
  // Appends in the order they returned; positions may interleave a little, the age is what counts.
  const pending: { position: number; at: number }[] = [];
  let checkpoint = 0;
  return {
    appended(position: number) {
      // The projection may have applied it before the append returned here.
      if (position > checkpoint) pending.push({ position, at: clock() });
    },
    applied(position: number) {
      checkpoint = Math.max(checkpoint, position);
      let done = 0;
      while (done < pending.length && pending[done]!.position <= checkpoint) done += 1;
      pending.splice(0, done);
    },
    /** For the load shedder: a stable reason (it labels a metric) while the projection is too far behind. */
    pressure: (): string | undefined => (pending.length > 0 && clock() - pending[0]!.at > maxLagMs ? 'projection-lag' : undefined),
  };
}
