import { OffsetGapError, type PartitionMessage } from './partition-batch';
import { isTransientError, retryWhileTransient } from './transient-errors';

/** Failures that say nothing about the messages: never a reason to dead-letter one. */
const notAboutTheMessages = (error: unknown) => isTransientError(error) || error instanceof OffsetGapError;

/**
 * Applies a partition's batch so that one poison message cannot stall the partition: the whole
 * batch, retried once; if it still fails, message by message, each tried twice. A message that
 * fails twice is handed to `onPoison` (the dead-letter topic) and only its offset is recorded.
 * Transient failures (database down, deadlock victim) are retried in place and never count: if
 * they outlast the retries they are thrown, and the consumer restarts from the stored offsets. A
 * gap before the batch (OffsetGapError) is thrown at once, for the caller to seek back.
 */
export async function applyOrIsolate<T>(
  messages: PartitionMessage[], apply: (part: PartitionMessage[]) => Promise<T>,
  onPoison: (index: number, error: unknown) => Promise<void>, onTransient?: (error: unknown) => void,
): Promise<T> {
  const attempt = (part: PartitionMessage[]) => retryWhileTransient(() => apply(part), { onRetry: onTransient });
  for (let tries = 0; tries < 2; tries++) {
    try {
      return await attempt(messages);
    } catch (error) {
      if (notAboutTheMessages(error)) throw error;
    }
  }
  let last: T | undefined;
  for (const [index, message] of messages.entries()) {
    last = await attemptTwice(() => attempt([message]), async (error) => {
      await onPoison(index, error);
      return attempt([{ offset: message.offset, event: null }]);
    });
  }
  return last!;
}

async function attemptTwice<T>(work: () => Promise<T>, onSecondFailure: (error: unknown) => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (first) {
    if (notAboutTheMessages(first)) throw first;
    try {
      return await work();
    } catch (second) {
      if (notAboutTheMessages(second)) throw second;
      return onSecondFailure(second);
    }
  }
}
