/**
 * Bytes allocated on the JavaScript heap per path, with monthly and with yearly steps, and where:
 * `npm run bench:alloc`. V8's sampling heap profiler, told to keep the objects the collector has
 * already freed, samples an allocation every 512 bytes on average, so the totals are estimates of
 * everything the run allocated, whenever the heap is collected (the growth of the heap between
 * two points is not: the young generation is collected during a run, whatever its size). If the
 * inner loop allocated per period, monthly steps (132 periods) would allocate about twelve times
 * what yearly steps (11 periods) do.
 */
import { Session } from 'node:inspector/promises';
import { buildModel, lejre2034, parseScenario, runModel, strategiesFromSpecs } from '../dist/index.js';
import { fourStrategyCases, median } from './common.js';

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly lineNumber: number; readonly url: string };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

const paths = 5_000;
const session = new Session();
session.connect();

/** Bytes allocated by `run`, and by the innermost function of each allocation. */
async function allocated(run: () => void): Promise<{ total: number; bySite: Map<string, number> }> {
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  run();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: ProfileNode): void => {
    if (n.selfSize > 0) {
      const site = `${n.callFrame.functionName || '(anonymous)'} (line ${n.callFrame.lineNumber + 1})`;
      bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    n.children.forEach(walk);
  };
  walk(profile.head);
  return { total, bySite };
}

const { all, homeCare } = fourStrategyCases(lejre2034());
for (const [name, input] of [
  ['lejre-2034', all],
  ['home care alone', homeCare],
] as const) {
  for (const step of ['month', 'year'] as const) {
    const scenario = parseScenario({ ...input, step });
    const model = buildModel(scenario);
    const strategies = strategiesFromSpecs(scenario.strategies);
    runModel(model, strategies, { paths: 2000 }); // warm-up: compile everything first
    const perPath: number[] = [];
    let sites = new Map<string, number>();
    for (let r = 0; r < 3; r++) {
      const a = await allocated(() => runModel(model, strategies, { pathStart: 1000 * (r + 1), paths }));
      perPath.push(a.total / paths);
      sites = a.bySite;
    }
    const P = model.timeline.periodCount;
    const top = [...sites]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([site, bytes]) => `${site} ${(bytes / paths).toFixed(0)}`)
      .join(', ');
    console.log(
      `${name}, ${step} steps (${P} periods): ${median(perPath).toFixed(0)} bytes a path (runs: ${perPath.map((b) => b.toFixed(0)).join(', ')}); most in: ${top}`,
    );
  }
}
console.log('(the per-path figures live outside the JS heap, in one ArrayBuffer per result)');
