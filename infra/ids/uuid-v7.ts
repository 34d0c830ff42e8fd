import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7 ids with their random bits drawn from a pooled buffer. The uuid package asks the kernel
 * for 16 bytes per id (crypto.getRandomValues, a getrandom call each): 4.5 % of the embedded
 * platform's CPU under the command bench, where Node's own randomUUID buffers. Same source (the
 * kernel's CSPRNG), fetched `poolBytes` at a time. With its random bits given, uuid draws the
 * in-millisecond counter from them too: ids of one millisecond are unordered among themselves,
 * which nothing relies on (events are ordered by position, members by createdAt then id).
 */
export function createUuidV7Generator(options: { poolBytes?: number; fill?: (buffer: Uint8Array) => void } = {}) {
  const pool = new Uint8Array(options.poolBytes ?? 4096);
  const fill = options.fill ?? ((buffer: Uint8Array) => randomFillSync(buffer));
  let offset = pool.length;
  return (): string => {
    if (offset + 16 > pool.length) {
      fill(pool);
      offset = 0;
    }
    // uuid copies the bytes into the id it returns: the pool may be overwritten afterwards.
    const random = pool.subarray(offset, offset + 16);
    offset += 16;
    return uuidv7({ random });
  };
}
