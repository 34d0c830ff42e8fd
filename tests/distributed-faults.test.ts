import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StreamResult } from './distributed/command-stream';
import { differences, dumpReadModels, rebuildFromEventStore } from './distributed/rebuild-comparison';
import { createScenario, freePort, readGauge, sleep, waitUntilCaughtUp, waitUntilServing, type Scenario } from './distributed/scenario';
import { kafkaAvailable, startTestBroker } from './kafka-harness';

/**
 * The distributed pipeline under faults: publisher and projectors run as real processes against
 * the real broker and PostgreSQL while 20,000 commands stream in. However they are disturbed, the
 * read models must end equal, row for row, to a rebuild from the event store: nothing lost, nothing
 * applied twice.
 */
const skip = !kafkaAvailable();
const faults = suite<{ broker: Awaited<ReturnType<typeof startTestBroker>> }>('distributed faults');
const test = (name: string, run: Parameters<typeof faults>[1]) => (skip ? faults.skip(name, run) : faults(name, run));
const commands = Number(process.env.FAULT_TEST_COMMANDS ?? 20_000);

faults.before(async (context) => {
  if (!skip) context.broker = await startTestBroker();
});
faults.after(async ({ broker }) => broker?.remove());

/** Runs `body` on a fresh scenario and always cleans it up (printing the roles' logs if it failed). */
async function inScenario(brokers: string, body: (scenario: Scenario) => Promise<void>) {
  const scenario = await createScenario(brokers);
  let failed = true;
  try {
    await body(scenario);
    failed = false;
  } finally {
    await scenario.close(failed);
  }
}

async function assertConverged(scenario: Scenario, stream: StreamResult, publisherPort: number, projectorsPort: number) {
  assert.is(stream.sent, commands);
  assert.is(stream.accepted, commands, `every command accepted: ${JSON.stringify(stream.byStatus)}`);
  await waitUntilCaughtUp(publisherPort, projectorsPort);
  const [projected, rebuilt] = await Promise.all([dumpReadModels(scenario.database.pool), rebuildFromEventStore(scenario.database.pool)]);
  assert.ok(rebuilt.rm_members.length > commands / 10, `a realistic amount of members (${rebuilt.rm_members.length})`);
  assert.equal(differences(projected, rebuilt), [], 'read models equal a rebuild from the event store');
}

/** While the stream runs: let `role` live for a random 2–6 s, kill -9 it, start it again. Returns the kill count. */
async function killRepeatedly(scenario: Scenario, role: 'publisher' | 'projectors', port: number) {
  let kills = 0;
  let current = scenario.start(role, port);
  while (!scenario.progress().done) {
    await sleep(2000 + Math.random() * 4000);
    if (scenario.progress().done) break;
    await current.kill('SIGKILL');
    kills++;
    current = scenario.start(role, port);
  }
  return kills;
}

test('kill -9 the projector at random moments during 20,000 commands: nothing lost, nothing applied twice', ({ broker }) =>
  inScenario(broker.brokers, async (scenario) => {
    const [publisherPort, projectorsPort] = [await freePort(), await freePort()];
    scenario.start('publisher', publisherPort);
    await waitUntilServing(publisherPort, 'publisher_lag_events');
    let kills = 0;
    const stream = await scenario.stream(commands, async () => {
      kills = await killRepeatedly(scenario, 'projectors', projectorsPort);
    });
    assert.ok(kills >= 3, `the projector was killed ${kills} times`);
    await assertConverged(scenario, stream, publisherPort, projectorsPort);
  }));

test('kill -9 the publisher at random moments during 20,000 commands: at least once on Kafka, exactly once in the read models', ({ broker }) =>
  inScenario(broker.brokers, async (scenario) => {
    const [publisherPort, projectorsPort] = [await freePort(), await freePort()];
    scenario.start('projectors', projectorsPort);
    await waitUntilServing(projectorsPort, 'projector_lag_events');
    let kills = 0;
    const stream = await scenario.stream(commands, async () => {
      kills = await killRepeatedly(scenario, 'publisher', publisherPort);
    });
    assert.ok(kills >= 3, `the publisher was killed ${kills} times`);
    await assertConverged(scenario, stream, publisherPort, projectorsPort);
  }));

test('restart the Kafka broker mid-stream: publisher and projectors ride it out', ({ broker }) =>
  inScenario(broker.brokers, async (scenario) => {
    const [publisherPort, projectorsPort] = [await freePort(), await freePort()];
    scenario.start('publisher', publisherPort);
    scenario.start('projectors', projectorsPort);
    await waitUntilServing(publisherPort, 'publisher_lag_events');
    await waitUntilServing(projectorsPort, 'projector_lag_events');
    let restartedMidStream = false;
    const stream = await scenario.stream(commands, async () => {
      while (scenario.progress().sent < commands * 0.3) await sleep(200);
      await broker.restart();
      restartedMidStream = !scenario.progress().done;
    });
    assert.ok(restartedMidStream, 'the broker was back before the stream ended');
    await assertConverged(scenario, stream, publisherPort, projectorsPort);
  }));

test('two projector processes share the partitions; one stops mid-stream, the other takes over', ({ broker }) =>
  inScenario(broker.brokers, async (scenario) => {
    const [publisherPort, firstPort, secondPort] = [await freePort(), await freePort(), await freePort()];
    scenario.start('publisher', publisherPort);
    const first = scenario.start('projectors', firstPort);
    scenario.start('projectors', secondPort);
    await Promise.all([waitUntilServing(firstPort, 'projector_lag_events'), waitUntilServing(secondPort, 'projector_lag_events')]);
    let stoppedWith = '';
    const stream = await scenario.stream(commands, async () => {
      while (scenario.progress().sent < commands * 0.4) await sleep(200);
      const shares = [await readGauge(firstPort, 'projector_assigned_partitions'), await readGauge(secondPort, 'projector_assigned_partitions')];
      assert.equal(shares.sort(), [2, 2], 'the group gave each projector two of the four partitions');
      stoppedWith = await first.kill('SIGTERM');
    });
    assert.is(stoppedWith, '0', 'the stopped projector shut down cleanly');
    await assertConverged(scenario, stream, publisherPort, secondPort);
  }));

faults.run();
