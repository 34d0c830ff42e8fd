import { partitionOfKey } from '../infra/bus/kafka/partition-of-key';
import { validationProblem } from '../infra/http/problem';
import type { ReadModelDb } from '../infra/read-models/database';
import type { ReadModelProgress } from './consistency';
import { withTenant } from './tenant-scope';

/** The projection that writes the tables this API reads (projectors/read-models.ts). */
export const readModelProjection = 'postgres-read-models';

/** The projection that writes the ClickHouse tables of the analytics routes (projectors/analytics/). */
export const analyticsProjection = 'clickhouse-analytics';

/**
 * Embedded mode: the projection follows the global log in order, so one checkpoint says it all:
 * a position is applied once the checkpoint has reached it.
 */
export function logCheckpointProgress(db: ReadModelDb, projection = readModelProjection): ReadModelProgress {
  return {
    check: async (_tenantId, position) => async () => {
      const row = await db.selectFrom('projection_checkpoints').select('position')
        .where('projection', '=', projection).executeTakeFirst();
      return row !== undefined && Number(row.position) >= position;
    },
  };
}

/**
 * Distributed mode: the projection consumes Kafka partition by partition, each with its own
 * checkpoint, and positions only grow within a partition. The event at `position` is looked up
 * (as the tenant, so another tenant's positions stay invisible), its stream mapped to the
 * partition the publisher sent it to, and that partition's highest applied position compared.
 */
export function kafkaPartitionProgress(db: ReadModelDb, topic: string, projection = readModelProjection): ReadModelProgress {
  const partitionsOf = db.selectFrom('projection_partition_offsets')
    .where('projection', '=', projection).where('topic', '=', topic);
  return {
    check: async (tenantId, position) => {
      if (position === 0) return async () => true;
      const event = await withTenant(db, tenantId, (scoped) => scoped.selectFrom('events').select('stream_id')
        .where('tenant_id', '=', tenantId).where('position', '=', position).executeTakeFirst());
      if (!event) {
        throw validationProblem([{ path: 'X-Consistency-Position', message: 'not the position of one of this tenant\'s events' }]);
      }
      let partition: number | undefined;
      return async () => {
        if (partition === undefined) {
          const count = Number((await partitionsOf.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
          if (count === 0) return false; // no projector has started on this topic yet
          partition = partitionOfKey(event.stream_id, count);
        }
        const row = await partitionsOf.select('position').where('partition', '=', partition).executeTakeFirst();
        return row !== undefined && Number(row.position) >= position;
      };
    },
  };
}
