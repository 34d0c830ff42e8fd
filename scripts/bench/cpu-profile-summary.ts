/**
 * `npx tsx scripts/bench/cpu-profile-summary.ts <file.cpuprofile> [top]`: where a profiled process
 * spent its CPU, for a report when DevTools is not at hand: the busy share of the samples, then the
 * functions with the most self time, and the same grouped by package or project folder.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

// Profiles name scripts by file URL (ESM) or absolute path (CommonJS); the project is where this runs.
const projectRoots = [`${pathToFileURL(process.cwd()).href}/`, `${process.cwd()}/`];

/** Where a script lives, shortened: the package name under node_modules, else the project path. */
function origin(url: string) {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const root = projectRoots.find((prefix) => url.startsWith(prefix));
  return root ? url.slice(root.length).split('/').slice(0, 2).join('/') : (url || '(native)');
}

export function summariseProfile(profile: Profile, top: number) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const name = `${frame.functionName || '(anonymous)'} ${origin(frame.url)}:${frame.lineNumber + 1}`;
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
    byOrigin.set(origin(frame.url), (byOrigin.get(origin(frame.url)) ?? 0) + us);
  });
  const share = (us: number) => `${((100 * us) / totalUs).toFixed(1)}%`;
  const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `${share(us).padStart(6)}  ${name}`);
  return [
    `profiled ${(totalUs / 1e6).toFixed(1)} s, busy ${share(totalUs - idleUs)}`,
    'self time by function:', ...ranked(selfUs),
    'self time by origin:', ...ranked(byOrigin),
  ].join('\n');
}

if (process.argv[2]) {
  const profile = JSON.parse(await readFile(process.argv[2], 'utf8')) as Profile;
  console.log(summariseProfile(profile, Number(process.argv[3] ?? 20)));
}
