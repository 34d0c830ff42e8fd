/**
 * `npm run kafka -- start` starts a single-node Apache Kafka (KRaft) for development and prints
 * `KAFKA_BROKERS=127.0.0.1:<port>`; `npm run kafka -- stop` stops it. Needs Java 17 and Maven:
 * the broker's jars come from the published Apache Kafka artefacts, cached under DATA_DIR.
 */
import path from 'node:path';
import { hasJavaAndMaven, kafkaVersion } from './kafka/kafka-artefacts';
import { startKafkaBroker, stopKafkaBroker } from './kafka/kafka-broker';

const dataDir = process.env.DATA_DIR ?? '.data';
const dir = path.join(dataDir, 'kafka');
const command = process.argv[2];

if (command === 'start') {
  if (!hasJavaAndMaven()) {
    console.error('Kafka needs java (17+) and mvn on the PATH.');
    process.exit(1);
  }
  console.error(`Starting Apache Kafka ${kafkaVersion} (KRaft) from ${dir}…`);
  const broker = await startKafkaBroker({ dir, artefactsDir: path.join(dataDir, 'kafka-artefacts'), detached: true });
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  process.exit(0);
} else if (command === 'stop') {
  console.log((await stopKafkaBroker(dir)) ? 'Kafka stopped.' : 'No Kafka broker was started from here.');
} else {
  console.error('usage: npm run kafka -- start|stop');
  process.exit(2);
}
