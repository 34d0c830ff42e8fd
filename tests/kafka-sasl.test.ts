import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { createKafka, kafkaSaslOf } from '../infra/bus/kafka/kafka-client';
import { findFreePort } from '../infra/postgres/free-port';
import { ensureKafkaArtefacts } from '../scripts/kafka/kafka-artefacts';
import { kafkaTest } from './kafka-harness';

const test = kafkaTest();
const [brokerPassword, clientPassword] = ['broker-secret', 'client-secret'];

/** docker-compose.yml's JAAS file for the broker, with its passwords filled in as compose would. */
async function composeJaas(): Promise<string> {
  const compose = await readFile('docker-compose.yml', 'utf8');
  const jaas = /kafka-jaas:\n\s+content: \|\n([\s\S]*?\n\s+};)\n/.exec(compose)?.[1];
  if (!jaas) throw new Error('docker-compose.yml has no kafka-jaas config');
  return jaas.replaceAll(/\$\{KAFKA_BROKER_PASSWORD:\?[^}]*\}/g, brokerPassword).replaceAll(/\$\{KAFKA_CLIENT_PASSWORD:\?[^}]*\}/g, clientPassword);
}

/** The SASL part of docker-compose.yml's kafka environment, as broker properties (KAFKA_A_B → a.b). */
function saslProperties(dir: string, port: number, controllerPort: number) {
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
log.dirs=${path.join(dir, 'data')}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
`;
}

async function startSaslBroker(dir: string) {
  const lib = await ensureKafkaArtefacts(path.resolve('.data', 'kafka-artefacts'));
  const [port, controllerPort] = [await findFreePort(), await findFreePort()];
  await writeFile(path.join(dir, 'server.properties'), saslProperties(dir, port, controllerPort));
  await writeFile(path.join(dir, 'jaas.conf'), await composeJaas());
  const java = ['-cp', `${lib}/*`, `-Djava.security.auth.login.config=${path.join(dir, 'jaas.conf')}`];
  const format = spawnSync('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', 'c2FzbC10ZXN0LWNsdXN0ZXI', '-c', path.join(dir, 'server.properties')], { encoding: 'utf8' });
  if (format.status !== 0) throw new Error(`format failed: ${format.stderr || format.stdout}`);
  const log = openSync(path.join(dir, 'kafka.log'), 'a');
  const child = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...java, 'kafka.Kafka', path.join(dir, 'server.properties')],
    { stdio: ['ignore', log, log] });
  return { brokers: `127.0.0.1:${port}`, pid: child.pid!, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

const sasl = (password: string) => kafkaSaslOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'membership', KAFKA_SASL_PASSWORD: password });

async function listTopics(brokers: string, options: Parameters<typeof createKafka>[2]) {
  const admin = createKafka(brokers, 'sasl-test', { quiet: true, ...options }).admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

test("the compose broker's SASL PLAIN listener admits the kafkajs client with its credentials, and refuses it without them", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-sasl-'));
  const broker = await startSaslBroker(dir);
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        await listTopics(broker.brokers, { sasl: sasl(clientPassword) });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no SASL answer after 90 s (${(error as Error).message}); see ${dir}/kafka.log`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const kafka = createKafka(broker.brokers, 'sasl-test', { quiet: true, sasl: sasl(clientPassword) });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'sasl-check', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: 'sasl-check', messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    assert.is(sent!.errorCode, 0);
    await listTopics(broker.brokers, { sasl: sasl('wrong-password') }).then(
      () => assert.unreachable('a wrong password was admitted'), (error: Error) => assert.match(error.message, /SASL|[Aa]uthentication/));
    await listTopics(broker.brokers, {}).then(() => assert.unreachable('a client without SASL was admitted'), () => undefined);
  } finally {
    process.kill(broker.pid, 'SIGKILL');
    await broker.exited;
    await rm(dir, { recursive: true, force: true });
  }
});

test('a SASL mechanism without credentials is a configuration error at start; no mechanism means no SASL', () => {
  assert.throws(() => kafkaSaslOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'membership', KAFKA_SASL_PASSWORD: undefined }), /KAFKA_SASL_PASSWORD/);
  assert.is(kafkaSaslOf({ KAFKA_SASL_MECHANISM: undefined, KAFKA_SASL_USERNAME: undefined, KAFKA_SASL_PASSWORD: undefined }), undefined);
});

test.run();
