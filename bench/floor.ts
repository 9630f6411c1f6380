/**
 * The floor under the engine's targets: what `lejre-2034`'s services cost on their own, stepped as
 * the four built-in strategies need them, with the least any engine must add, on this build. Each
 * workload in a fresh process, CPU time a path after a warm-up, medians of rounds; printed beside
 * version 0.4.0's whole run of the same workload (from bench/engine.ts) and the target.
 *
 * The four built-ins step home care twice a path: once for the three that never set a service
 * level, and once at the frame's own level (its service response cuts the level in the first
 * year on most paths, so its path cannot be read from the others'). Home care's second stepping
 * reuses the first's draws. The care homes do not depend on the steering: one path for all four.
 *
 * - **the model**: the drivers' draws, then each service's reset and its steps through every
 *   period, as the run needs them; no strategy, no ledger, no result;
 * - **the least an engine adds**: each year's sums of the four figures of every history, and
 *   eight figures a year written for every strategy and service; no hook is called, nothing is
 *   checked.
 *
 * No engine, however its strategies are written, costs less than the model plus that.
 * Run by `npm run bench`, or alone: `tsup --silent && tsx bench/floor.ts [rounds]`.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fourStrategyCases, measureInChild, median } from './common.js';

/** The workloads: home care alone (model, model and the least an engine adds) and the whole preset's. */
const WORKLOADS = ['homeCareModel', 'homeCareFloor', 'careHomesModel', 'lejreFloor'] as const;
type Workload = (typeof WORKLOADS)[number];

/** What this bench is compared with: version 0.4.0's CPU µs a path for the whole run (bench/engine.ts). */
export interface EngineMedians {
  readonly homeCare: number;
  readonly lejre: number;
}

const here = fileURLToPath(import.meta.url);

/** In a child process: one workload on this build, its CPU µs a path printed. */
async function runWorkload(name: Workload, dist: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lib: any = await import(pathToFileURL(join(dist, 'index.js')).href);
  const withHomeCare = name !== 'careHomesModel';
  const withCareHomes = name === 'careHomesModel' || name === 'lejreFloor';
  // Home care alone is the preset without its care homes, as bench/engine.ts times it.
  const { all, homeCare: homeCareOnly } = fourStrategyCases(lib.lejre2034());
  const scenario = lib.parseScenario(withCareHomes ? all : homeCareOnly);
  const model = lib.buildModel(scenario);
  const timeline = model.timeline;
  const P: number = timeline.periodCount;
  const H: number = timeline.horizonYears;
  const perYear: number = timeline.periodsPerYear;
  const inputs = lib.plainInputs();
  const setup = {
    timeline,
    seed: scenario.seed,
    baselineWorld: model.baselineWorld,
    links: lib.createLinks(64, H + 1),
    interventions: scenario.interventions,
    inputs,
  };
  const world = lib.createWorld(model.baselineWorld.groupIds, H);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const service = (id: string): { instance: any; history: () => any } => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const def = model.services.find((d: any) => d.id === id);
    return {
      instance: def.create(setup),
      history: () => {
        const h = lib.createHistory(P, (def.metrics ?? []).length, (def.activityLines ?? [{}]).length);
        h.serviceLevel.fill(1);
        return h;
      },
    };
  };
  const homeCare = withHomeCare ? service('home-care') : undefined;
  const careHomes = withCareHomes ? service('care-homes') : undefined;
  // The shared path at level 1, the frame's at a level of its own; the care homes' one path.
  const histories = [
    ...(homeCare === undefined ? [] : [homeCare.history(), homeCare.history()]),
    ...(careHomes === undefined ? [] : [careHomes.history()]),
  ];
  if (homeCare !== undefined) histories[1].serviceLevel.fill(0.97);
  const engine = name === 'homeCareFloor' || name === 'lejreFloor';
  const N = withCareHomes ? 3_000 : 20_000;
  // Four strategies, each with every service's eight figures a year, written path by path.
  const V = (homeCare === undefined ? 0 : 1) + (careHomes === undefined ? 0 : 1);
  const written = Array.from({ length: 8 }, () => new Float64Array(4 * V * H * N));
  const sums = new Float64Array(4);
  const run = (n: number, first: number, write: boolean): void => {
    for (let i = 0; i < n; i++) {
      const path = first + i;
      for (const d of model.drivers) d.draw(path, world, inputs);
      if (careHomes !== undefined) {
        careHomes.instance.reset(path);
        for (let p = 0; p < P; p++) careHomes.instance.step(p, world, histories[histories.length - 1]);
      }
      if (homeCare !== undefined) {
        for (const k of [0, 1]) {
          homeCare.instance.reset(path);
          for (let p = 0; p < P; p++) homeCare.instance.step(p, world, histories[k]);
        }
      }
      if (!engine) continue;
      for (let k = 0; k < histories.length; k++) {
        const h = histories[k];
        for (let y = 0; y < H; y++) {
          sums.fill(0);
          for (let p = y * perYear; p < (y + 1) * perYear; p++) {
            sums[0] += h.costKr[p];
            sums[1] += h.neededUnits[p];
            sums[2] += h.orderedUnits[p];
            sums[3] += h.deliveredUnits[p];
          }
          // Home care's shared path serves three strategies, the frame's one; the care homes' all four.
          const ofHomeCare = homeCare !== undefined && k < 2;
          const strategies = ofHomeCare ? (k === 0 ? [1, 2, 3] : [0]) : [0, 1, 2, 3];
          const v = ofHomeCare ? 0 : V - 1;
          for (const s of strategies) {
            const at = ((s * V + v) * H + y) * N + (write ? i : 0);
            const budget = sums[0]! * (1 + 0.01 * s);
            written[0]![at] = budget;
            written[1]![at] = budget;
            written[2]![at] = budget;
            written[3]![at] = sums[0]!;
            written[4]![at] = budget - sums[0]!;
            written[5]![at] = sums[1]!;
            written[6]![at] = sums[2]!;
            written[7]![at] = sums[3]!;
          }
        }
      }
    }
  };
  run(Math.min(2_000, N), 1_000_000, false);
  const before = process.cpuUsage();
  run(N, 0, true);
  const used = process.cpuUsage(before);
  console.log(String((used.user + used.system) / N));
}

/** CPU µs a path of one workload on this build, in a fresh process. */
function measure(name: Workload, dist: string): number {
  return measureInChild(here, name, dist);
}

/**
 * Times the floor's workloads, `rounds` rounds each in fresh processes, and prints their medians,
 * with the floor's ratio to version 0.4.0's whole run where `old` gives it.
 *
 * @param rounds - fresh processes per workload
 * @param old - 0.4.0's CPU µs a path for home care alone and `lejre-2034`, four strategies
 */
export function floorBench(rounds: number, old?: EngineMedians): void {
  const dist = join(here, '..', '..', 'dist');
  const got = {} as Record<Workload, number>;
  const spread = {} as Record<Workload, string>;
  for (const name of WORKLOADS) {
    const xs = Array.from({ length: rounds }, () => measure(name, dist));
    got[name] = median(xs);
    spread[name] = `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  }
  const ratio = (x: number, of: number | undefined): string =>
    of === undefined ? '' : ` = ${(x / of).toFixed(2)}x 0.4.0's whole run (${of.toFixed(1)} us)`;
  console.log(`the floor under the engine (CPU time a path on this build, medians of ${rounds} fresh processes):`);
  console.log(
    `  home care, four strategies: the model ${got.homeCareModel.toFixed(1)} us (${spread.homeCareModel}); with the least an engine adds ${got.homeCareFloor.toFixed(1)} us (${spread.homeCareFloor})${ratio(got.homeCareFloor, old?.homeCare)}; target 0.21x`,
  );
  console.log(
    `  lejre-2034, four strategies: the care homes' model ${got.careHomesModel.toFixed(1)} us (${spread.careHomesModel}); both services with the least an engine adds ${got.lejreFloor.toFixed(1)} us (${spread.lejreFloor})${ratio(got.lejreFloor, old?.lejre)}; target 0.42x`,
  );
}

if (process.argv[2] === '--case') await runWorkload(process.argv[3] as Workload, process.argv[4]!);
else if (process.argv[1] === here) floorBench(Number(process.argv[2] ?? 5));
