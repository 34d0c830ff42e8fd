import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Apache Kafka 3.9.1 (KRaft). The 4.x line dropped protocol versions that kafkajs 2.x still
 * speaks; 3.9 is the newest line kafkajs works with (checked here: topics, idempotent producer,
 * consumer groups).
 */
export const kafkaVersion = '3.9.1';

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.membership</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${kafkaVersion}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;

export function hasJavaAndMaven(): boolean {
  const works = (command: string) => spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0;
  return works('java') && works('mvn');
}

/**
 * The broker's jars, resolved from the published artefacts with Maven into `cacheDir/lib` once
 * and reused afterwards. Returns the lib folder for the class path.
 */
export async function ensureKafkaArtefacts(cacheDir: string): Promise<string> {
  const lib = path.resolve(cacheDir, 'lib');
  if (existsSync(path.join(lib, `kafka_2.13-${kafkaVersion}.jar`))) return lib;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path.join(cacheDir, 'pom.xml'), pom);
  await new Promise<void>((resolve, reject) => {
    const mvn = spawn('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`],
      { cwd: cacheDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    mvn.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    mvn.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    mvn.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`Maven could not resolve Kafka ${kafkaVersion}:\n${output}`))));
  });
  return lib;
}
