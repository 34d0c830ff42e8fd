import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findFreePort } from '../../infra/postgres/free-port';
import { ensureKafkaArtefacts } from './kafka-artefacts';

export type BrokerOptions = {
  /** The broker's own folder: configuration, data, log and pid file. */
  dir: string;
  /** Where the jars are cached (shared by brokers). */
  artefactsDir: string;
  heapMb?: number;
  /** Detached brokers outlive the process that started them (`npm run kafka -- start`). */
  detached?: boolean;
};

type BrokerRecord = { pid: number; port: number; controllerPort: number };

export type RunningBroker = BrokerRecord & { brokers: string };

const recordFile = (dir: string) => path.join(dir, 'broker.json');

/**
 * Starts a single-node Apache Kafka in KRaft mode (broker and controller in one JVM) bound to
 * 127.0.0.1, formats its storage the first time, and waits until a client can list topics. A
 * folder that held a broker before is started again on the same ports with its data.
 */
export async function startKafkaBroker(options: BrokerOptions): Promise<RunningBroker> {
  const dir = path.resolve(options.dir);
  const lib = await ensureKafkaArtefacts(options.artefactsDir);
  await mkdir(path.join(dir, 'data'), { recursive: true });
  const previous = existsSync(recordFile(dir)) ? (JSON.parse(await readFile(recordFile(dir), 'utf8')) as BrokerRecord) : null;
  if (previous && isAlive(previous.pid)) return { ...previous, brokers: `127.0.0.1:${previous.port}` };
  const port = previous?.port ?? (await findFreePort());
  const controllerPort = previous?.controllerPort ?? (await findFreePort());
  await writeFile(path.join(dir, 'server.properties'), serverProperties(dir, port, controllerPort));
  await writeFile(path.join(dir, 'log4j.properties'), log4jProperties);
  const java = (args: string[]) => ['-cp', `${lib}/*`, `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`, ...args];
  if (!existsSync(path.join(dir, 'data', 'meta.properties'))) {
    const clusterId = newClusterId();
    const format = spawnSync('java', java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', path.join(dir, 'server.properties')]),
      { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`Kafka storage format failed: ${format.stderr || format.stdout}`);
  }
  const log = openSync(path.join(dir, 'kafka.log'), 'a');
  const heap = `${options.heapMb ?? 384}m`;
  const child = spawn('java', [`-Xms${heap}`, `-Xmx${heap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
    ...java(['kafka.Kafka', path.join(dir, 'server.properties')])], { detached: options.detached ?? false, stdio: ['ignore', log, log] });
  if (options.detached) child.unref();
  const record: BrokerRecord = { pid: child.pid!, port, controllerPort };
  await writeFile(recordFile(dir), JSON.stringify(record));
  await waitUntilReady(`127.0.0.1:${port}`, child.pid!, dir);
  return { ...record, brokers: `127.0.0.1:${port}` };
}

/** Stops the broker of `dir` (SIGTERM, then SIGKILL after 30 s) and waits until it is gone. */
export async function stopKafkaBroker(dir: string): Promise<boolean> {
  const file = recordFile(path.resolve(dir));
  if (!existsSync(file)) return false;
  const { pid } = JSON.parse(await readFile(file, 'utf8')) as BrokerRecord;
  if (isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The ports stay recorded so that a restart keeps them; only the pid is forgotten.
  const record = JSON.parse(await readFile(file, 'utf8')) as BrokerRecord;
  await writeFile(file, JSON.stringify({ ...record, pid: -1 }));
  return true;
}

export async function removeKafkaBroker(dir: string) {
  await stopKafkaBroker(dir);
  await rm(dir, { recursive: true, force: true });
}

function isAlive(pid: number) {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child of this process stays a zombie until reaped: count it as gone.
  const status = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return status !== '' && !status.startsWith('Z');
}

async function waitUntilReady(brokers: string, pid: number, dir: string) {
  const kafka = new Kafka({ brokers: [brokers], clientId: 'broker-probe', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (!isAlive(pid)) throw new Error(`Kafka exited during start; see ${path.join(dir, 'kafka.log')}`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Kafka not ready after 90 s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function serverProperties(dir: string, port: number, controllerPort: number) {
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${path.join(dir, 'data')}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
background.threads=2
`;
}

const log4jProperties = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
`;

/** 16 random bytes, base64url: Kafka's cluster id form. One starting with '-' would read as an option. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
