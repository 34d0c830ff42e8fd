import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRebuildJobs } from './rebuild-jobs';

test('one rebuild at a time, its progress kept; stop() aborts it at its next batch and waits for it', async () => {
  let batches = 0;
  const jobs = createRebuildJobs(async (_tenant, onProgress, signal) => {
    for (;;) {
      signal.throwIfAborted();
      onProgress(++batches * 10, 1000, batches * 5);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  const job = jobs.start('tenant-1');
  assert.ok(job !== 'busy');
  assert.is(jobs.start(undefined), 'busy');
  await new Promise((resolve) => setTimeout(resolve, 30));
  const running = jobs.get(job.rebuildId)!;
  assert.equal([running.status, running.head, running.tenantId], ['running', 1000, 'tenant-1']);
  assert.ok(running.position > 0);
  await jobs.stop();
  const stopped = jobs.get(job.rebuildId)!;
  assert.equal([stopped.status, stopped.error], ['failed', 'the platform is shutting down']);
  assert.ok(stopped.finishedAt !== null);
  assert.is(jobs.get('unknown'), undefined);
});

test.run();
