/**
 * The search over candidate designs: every combination of the sets tried exhaustively, the
 * ranges on a grid, then a pattern search (a poll of the neighbours around the best point,
 * halving the step when none is better) until the budget of evaluations is spent or the step is
 * below a ten-thousandth of each range. Written here rather than taken from a package: it is
 * small, deterministic, evaluates its polls in batches (one simulation run each, on common
 * random numbers) and handles constraints by ranking feasibility first.
 */
import { OptionError } from '../errors';
import type { CandidateFamily, Parameter } from './problem';

/** A parameter value. */
export type SettingValue = string | number | boolean | null;

/** A point of the search: a family and a value for each of its parameters. */
export interface SearchPoint {
  readonly family: number;
  readonly values: Readonly<Record<string, SettingValue>>;
}

/** What an evaluation gives: the objective to minimise and the total violation of the constraints (0 when all hold). */
export interface Score {
  readonly objective: number;
  readonly violation: number;
}

/** Feasible first, then the smaller violation, then the smaller objective. */
export function better(a: Score, b: Score): boolean {
  if (a.violation !== b.violation) return a.violation < b.violation;
  return a.objective < b.objective;
}

/** Steps below this share of a range end the search of that parameter. */
const TOLERANCE = 1e-4;

/** A value rounded to 6 significant digits, so ids and tables read well and repeat exactly. */
function round(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

/** Every combination of the sets of a family (one empty combination when it has none). */
function combinations(parameters: readonly Parameter[]): Record<string, SettingValue>[] {
  let out: Record<string, SettingValue>[] = [{}];
  for (const p of parameters) {
    if (p.kind !== 'set') continue;
    out = out.flatMap((c) => p.values.map((v) => ({ ...c, [p.name]: v })));
  }
  return out;
}

/** The initial plan: how many grid points per range, and the points. */
export function initialPoints(families: readonly CandidateFamily[], budget: number): SearchPoint[] {
  const combos = families.map((f) => combinations(f.parameters));
  const total = combos.reduce((a, c) => a + c.length, 0);
  if (total > budget)
    throw new OptionError(
      `evaluations: the sets of the candidates make ${total} combinations, each evaluated at least once; expected evaluations of at least ${total}, received ${budget}`,
      { option: 'evaluations', received: budget },
    );
  const points: SearchPoint[] = [];
  // Half the budget for the grid, the rest for the pattern search (all of it without ranges).
  const share = families.some((f) => f.parameters.some((p) => p.kind === 'range')) ? budget / 2 : budget;
  families.forEach((f, fi) => {
    const ranges = f.parameters.filter((p) => p.kind === 'range');
    const d = ranges.length;
    // The largest k with (all combinations) × k^d within the grid's share, at least 1.
    let k = 1;
    while (d > 0 && total * (k + 1) ** d <= share) k++;
    for (const combo of combos[fi]!) {
      let grid: Record<string, SettingValue>[] = [combo];
      for (const r of ranges) {
        const values =
          k === 1
            ? [round((r.min + r.max) / 2)]
            : Array.from({ length: k }, (_, j) => round(r.min + ((r.max - r.min) * j) / (k - 1)));
        grid = grid.flatMap((g) => values.map((v) => ({ ...g, [r.name]: v })));
      }
      for (const values of grid) points.push({ family: fi, values });
    }
  });
  return points;
}

/** The key of a point, for the cache of evaluations. */
export function pointKey(p: SearchPoint): string {
  return `${p.family}|${Object.keys(p.values)
    .sort()
    .map((k) => `${k}=${String(p.values[k])}`)
    .join('|')}`;
}

/**
 * Runs the search. `evaluate` scores a batch of new points (one simulation run on the same paths);
 * points are never evaluated twice.
 *
 * @returns every point evaluated with its score, in the order evaluated
 */
export async function patternSearch(
  families: readonly CandidateFamily[],
  budget: number,
  evaluate: (points: readonly SearchPoint[]) => Promise<readonly Score[]>,
): Promise<{ point: SearchPoint; score: Score }[]> {
  const seen = new Map<string, { point: SearchPoint; score: Score }>();
  const order: { point: SearchPoint; score: Score }[] = [];
  const run = async (points: readonly SearchPoint[]) => {
    const fresh: { point: SearchPoint; key: string }[] = [];
    const keys = new Set<string>();
    for (const point of points) {
      const key = pointKey(point);
      if (!seen.has(key) && !keys.has(key) && order.length + fresh.length < budget) {
        keys.add(key);
        fresh.push({ point, key });
      }
    }
    if (fresh.length === 0) return;
    const scores = await evaluate(fresh.map((f) => f.point));
    fresh.forEach(({ point, key }, i) => {
      const e = { point, score: scores[i]! };
      seen.set(key, e);
      order.push(e);
    });
  };
  await run(initialPoints(families, budget));

  // One step per range and combination of sets, the grid's half-spacing to start.
  const steps = new Map<string, Record<string, number>>();
  const comboKey = (p: SearchPoint) => {
    const f = families[p.family]!;
    return `${p.family}|${f.parameters
      .filter((x) => x.kind === 'set')
      .map((x) => String(p.values[x.name]))
      .join('|')}`;
  };
  const ranges = (fi: number) => families[fi]!.parameters.filter((x) => x.kind === 'range');
  const gridSpacing = (fi: number, name: string) => {
    const r = ranges(fi).find((x) => x.name === name)!;
    const values = [...new Set(order.filter((e) => e.point.family === fi).map((e) => e.point.values[name] as number))];
    return values.length > 1 ? (r.max - r.min) / (values.length - 1) : (r.max - r.min) / 2;
  };
  while (order.length < budget) {
    // The best point of each combination with ranges whose step has not converged.
    const bests = new Map<string, { point: SearchPoint; score: Score }>();
    for (const e of order) {
      if (ranges(e.point.family).length === 0) continue;
      const k = comboKey(e.point);
      const b = bests.get(k);
      if (b === undefined || better(e.score, b.score)) bests.set(k, e);
    }
    const open = [...bests.entries()]
      .filter(([k, e]) => {
        const s = steps.get(k);
        return s === undefined || ranges(e.point.family).some((r) => s[r.name]! >= TOLERANCE * (r.max - r.min));
      })
      .sort((a, b) => (better(a[1].score, b[1].score) ? -1 : better(b[1].score, a[1].score) ? 1 : 0));
    if (open.length === 0) break;
    const [key, centre] = open[0]!;
    const rs = ranges(centre.point.family);
    let step = steps.get(key);
    if (step === undefined) {
      step = Object.fromEntries(rs.map((r) => [r.name, gridSpacing(centre.point.family, r.name) / 2]));
      steps.set(key, step);
    }
    // The full neighbourhood for up to three ranges, the compass directions beyond.
    const moves: Record<string, number>[] = [];
    if (rs.length <= 3) {
      let all: Record<string, number>[] = [{}];
      for (const r of rs) all = all.flatMap((m) => [-1, 0, 1].map((d) => ({ ...m, [r.name]: d })));
      moves.push(...all.filter((m) => Object.values(m).some((d) => d !== 0)));
    } else for (const r of rs) for (const d of [-1, 1]) moves.push({ [r.name]: d });
    const poll: SearchPoint[] = [];
    for (const m of moves) {
      const values: Record<string, SettingValue> = { ...centre.point.values };
      let moved = false;
      for (const r of rs) {
        const v = round(
          Math.min(r.max, Math.max(r.min, (centre.point.values[r.name] as number) + m[r.name]! * step[r.name]!)),
        );
        if (v !== centre.point.values[r.name]) moved = true;
        values[r.name] = v;
      }
      if (moved) poll.push({ family: centre.point.family, values });
    }
    const before = order.length;
    await run(poll);
    const improved = order.slice(before).some((e) => better(e.score, centre.score));
    if (!improved) for (const r of rs) step[r.name] = step[r.name]! / 2;
  }
  return order;
}
