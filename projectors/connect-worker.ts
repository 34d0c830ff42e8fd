import { createKafka, kafkaSaslOf } from '../infra/bus/kafka/kafka-client';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { required, type Config } from '../infra/config/config';
import { migrate } from '../infra/postgres/migrate';
import { createPool, workerStatementTimeoutMs } from '../infra/postgres/pool';

/**
 * What both worker processes (publisher, projectors) need before they start: a migrated
 * PostgreSQL pool, a Kafka client with a connected admin, and the topic. Either may start first,
 * so either creates the topic. Workers do not know the query role's password and pass none.
 */
export async function connectWorker(config: Config, role: 'publisher' | 'projectors', poolSize: number) {
  const pool = createPool({ connectionString: required(config.DATABASE_URL, 'DATABASE_URL'), max: poolSize, applicationName: `membership-${role}`,
    statementTimeoutMs: workerStatementTimeoutMs });
  await migrate(pool, { queryRole: config.QUERY_DB_ROLE, queryRolePassword: config.QUERY_DB_PASSWORD });
  const kafka = createKafka(required(config.KAFKA_BROKERS, 'KAFKA_BROKERS'), `membership-${role}`, { sasl: kafkaSaslOf(config) });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopic(admin, config.KAFKA_TOPIC, config.KAFKA_PARTITIONS, config.KAFKA_REPLICATION_FACTOR);
  return { pool, kafka, admin, topic: config.KAFKA_TOPIC };
}
