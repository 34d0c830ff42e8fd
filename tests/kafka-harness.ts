import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import { hasJavaAndMaven } from '../scripts/kafka/kafka-artefacts';
import { removeKafkaBroker, startKafkaBroker, stopKafkaBroker } from '../scripts/kafka/kafka-broker';

/**
 * Kafka tests run against the project's real broker. Without java and mvn they are skipped, except
 * under CI=true, where a missing engine is a failure.
 */
export function kafkaAvailable(): boolean {
  const available = hasJavaAndMaven();
  if (!available && process.env.CI === 'true') throw new Error('Kafka tests need java and mvn, and may not be skipped under CI=true');
  return available;
}

export function kafkaTest(): typeof test {
  if (kafkaAvailable()) return test;
  // Every test of the file is reported as skipped; `run` still runs the (empty) suite.
  return Object.assign((name: string) => test.skip(name), test, { only: test.skip }) as unknown as typeof test;
}

export async function startTestBroker() {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-broker-'));
  const options = { dir, artefactsDir: path.resolve('.data', 'kafka-artefacts') };
  const broker = await startKafkaBroker(options);
  return {
    ...broker,
    dir,
    /** A clean stop and a start on the same ports and data, as an operator's restart. */
    restart: async () => {
      await stopKafkaBroker(dir);
      await startKafkaBroker(options);
    },
    remove: () => removeKafkaBroker(dir),
  };
}
