import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { embeddedSemiSpaceFlag, limitHeapGrowth } from './heap-growth';

// A live set plus objects that are promoted and then die, as request state does under load: the
// highest heapUsed is how much garbage V8 let accumulate before a full collection.
const workload = `
const live = []; for (let i = 0; i < 300000; i++) live.push({ a: i, b: 'x' + i, c: [i] });
const queue = []; let maxUsed = 0;
for (let r = 0; r < 60000; r++) {
  queue.push(Array.from({ length: 40 }, (_, i) => ({ r, i, s: 'v' + r + '-' + i })));
  if (queue.length > 3000) queue.shift();
  if (r % 100 === 0) maxUsed = Math.max(maxUsed, process.memoryUsage().heapUsed);
}
console.log(JSON.stringify({ maxUsedMb: maxUsed / 1048576, live: live.length }));`;

function maxHeapUsedMb(limited: boolean): number {
  const module = JSON.stringify(new URL('./heap-growth.ts', import.meta.url).href);
  const setup = limited ? `const { limitHeapGrowth } = await import(${module}); limitHeapGrowth();` : '';
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${setup}${workload}`],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.is(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!).maxUsedMb;
}

test('the limited heap holds far less garbage between full collections than V8 default growth', () => {
  const unlimited = maxHeapUsedMb(false);
  const limited = maxHeapUsedMb(true);
  assert.ok(limited < unlimited * 0.8, `limited ${limited.toFixed(0)} MB, V8 default ${unlimited.toFixed(0)} MB`);
});

test('an operator flag given on the command line or in NODE_OPTIONS wins', () => {
  assert.is(limitHeapGrowth(50, '--max-old-space-size=512 --heap-growing-percent=80'), false);
  assert.is(limitHeapGrowth(50, '--heap_growing_percent=20'), false);
});

test('npm start bounds the young generation: tsx passes the flag on to V8', () => {
  const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
  assert.ok(start.startsWith(`tsx ${embeddedSemiSpaceFlag} `), start);
  // The young generation starts small and grows under short-lived garbage up to its bound: its size
  // after a burst of it is the bound.
  const probe = `let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 50000) keep = []; }
    process.stdout.write(String(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`;
  const youngGeneration = (flags: string[]) => {
    const child = spawnSync('node_modules/.bin/tsx', [...flags, '-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.is(child.status, 0, child.stderr);
    return Number(child.stdout.trim());
  };
  const bounded = youngGeneration([embeddedSemiSpaceFlag]);
  assert.ok(bounded <= 8 * 1048576, `${bounded} bytes with the flag`);
  assert.ok(youngGeneration([]) > bounded, 'V8\'s own bound is larger (16 MB semi-spaces here)');
});

test.run();
