import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import { hasJavaAndMaven } from '../scripts/kafka/kafka-artefacts';
import { removeKafkaBroker, startKafkaBroker } from '../scripts/kafka/kafka-broker';

/**
 * Kafka tests run against the project's real broker. Without java and mvn they are skipped, except
 * under CI=true, where a missing engine is a failure.
 */
export function kafkaTest() {
  const available = hasJavaAndMaven();
  if (!available && process.env.CI === 'true') throw new Error('Kafka tests need java and mvn, and may not be skipped under CI=true');
  return available ? test : test.skip;
}

export async function startTestBroker() {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-broker-'));
  const broker = await startKafkaBroker({ dir, artefactsDir: path.resolve('.data', 'kafka-artefacts') });
  return { ...broker, dir, remove: () => removeKafkaBroker(dir) };
}
