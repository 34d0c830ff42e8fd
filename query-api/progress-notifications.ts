import pg from 'pg';

/** A partition checkpoint that moved, as the Kafka projectors notify it (projectors/runtime/partition-batch.ts). */
export type PartitionMoved = { projection: string; topic: string; partition: number; position: number };

export type ProgressNotificationsOptions = {
  connectionString: string;
  onMoved: (moved: PartitionMoved) => void;
  onError?: (error: unknown) => void;
  /** How long to wait before listening again after the connection is lost. */
  retryMs?: number;
};

/**
 * The Kafka projectors' commits, pushed: one connection of its own LISTENs on
 * projection_partition_offsets, whose rows the projectors NOTIFY in each batch's transaction, so
 * read-your-writes followers read the table as the batch commits instead of every few
 * milliseconds on the pool the reads queue on. A notification is only news: any role that can
 * connect can NOTIFY, so the followers believe the table, never the payload
 * (read-model-progress.ts). While it is not listening (`listening()` false: not yet, or the
 * connection lost and being opened again), the followers poll as before.
 */
export function listenToProgress(options: ProgressNotificationsOptions) {
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = (error?: unknown) => {
    if (error !== undefined) options.onError?.(error);
    listening = false;
    // A client still ending may yet report a socket error: heard, or it would be uncaught.
    client?.removeAllListeners().on('error', () => undefined);
    client?.end().catch(() => undefined);
    client = undefined;
    if (!closed) retry = setTimeout(() => void listen(), options.retryMs ?? 1_000);
  };

  const listen = async () => {
    // keepAlive: a connection dropped silently by the network is noticed and listened again.
    const connection = new pg.Client({ connectionString: options.connectionString, application_name: 'membership-query-api-progress', keepAlive: true });
    client = connection;
    connection.on('error', lost);
    connection.on('end', () => (client === connection ? lost() : undefined));
    connection.on('notification', ({ payload }) => {
      const moved = parsed(payload);
      if (moved) options.onMoved(moved);
    });
    try {
      await connection.connect();
      await connection.query('LISTEN projection_partition_offsets');
      if (closed) await connection.end();
      else listening = true;
    } catch (error) {
      if (client === connection) lost(error);
    }
  };

  void listen();
  return {
    listening: () => listening,
    async close() {
      closed = true;
      clearTimeout(retry);
      listening = false;
      const open = client;
      client = undefined;
      open?.removeAllListeners().on('error', () => undefined);
      await open?.end().catch(() => undefined);
    },
  };
}

export type ProgressNotifications = ReturnType<typeof listenToProgress>;

function parsed(payload: string | undefined): PartitionMoved | undefined {
  try {
    const value = JSON.parse(payload ?? '');
    const moved = { projection: value.projection, topic: value.topic, partition: Number(value.partition), position: Number(value.position) };
    const valid = typeof moved.projection === 'string' && typeof moved.topic === 'string'
      && Number.isSafeInteger(moved.partition) && Number.isSafeInteger(moved.position);
    return valid ? moved : undefined;
  } catch {
    return undefined;
  }
}
