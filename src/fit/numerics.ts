// The small numerics the fits need, written here rather than taken from mathjs: mathjs is not
// on hot paths (a bootstrap refits every family hundreds of times, and mathjs' generic number
// handling is an order of magnitude slower than plain loops), and each routine below is a few
// lines with a known convergence rule.

/**
 * The digamma function ψ(x) = d ln Γ(x)/dx for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up
 * to x >= 6, then the asymptotic series (error below 1e-12 there).
 *
 * @internal
 */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  return shift + Math.log(x) - 0.5 / x - r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r / 132))));
}

/**
 * The trigamma function ψ′(x) for x > 0: ψ′(x) = ψ′(x + 1) + 1/x² up to x >= 10, then the
 * asymptotic series.
 *
 * @internal
 */
export function trigamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift += 1 / (x * x);
    x += 1;
  }
  const r = 1 / (x * x);
  return shift + 1 / x + r / 2 + (r / x) * (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - (5 * r) / 66))));
}

/**
 * The root of an increasing function on (0, ∞) by bisection in log space: the bracket is
 * widened by factors of 2 until it holds a sign change, then halved (geometrically) to a
 * relative width of 1e-12. Bisection rather than Newton because it needs no derivative and
 * cannot leave the bracket; 60 or so evaluations.
 *
 * @internal
 */
export function positiveRoot(g: (x: number) => number, guess: number): number {
  let lo = guess;
  let hi = guess;
  for (let i = 0; i < 200 && !(g(lo) < 0); i++) lo /= 2;
  for (let i = 0; i < 200 && !(g(hi) > 0); i++) hi *= 2;
  for (let i = 0; i < 200 && hi > lo * (1 + 1e-12); i++) {
    const mid = Math.sqrt(lo * hi);
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * The maximum of a unimodal function on [lo, hi] by golden-section search, to a width of
 * 1e-10 of the interval.
 *
 * @internal
 */
export function goldenMaximum(f: (x: number) => number, lo: number, hi: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  const tolerance = 1e-10 * (hi - lo);
  while (b - a > tolerance) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * The minimum of a function of a few variables by Nelder and Mead's simplex (standard
 * coefficients: reflection 1, expansion 2, contraction ½, shrink ½), from a start point and a
 * step per coordinate, until the simplex's values agree to `tolerance` (absolute) or after
 * `maxIterations`. Values of NaN count as +∞, so a function may refuse points outside its
 * domain.
 *
 * @internal
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  steps: readonly number[],
  tolerance = 1e-9,
  maxIterations = 2000,
): { point: number[]; value: number } {
  const n = start.length;
  const value = (x: readonly number[]): number => {
    const v = f(x);
    return v === v ? v : Infinity;
  };
  const simplex: { point: number[]; value: number }[] = [{ point: [...start], value: value(start) }];
  for (let i = 0; i < n; i++) {
    const p = [...start];
    p[i]! += steps[i]!;
    simplex.push({ point: p, value: value(p) });
  }
  const along = (from: readonly number[], to: readonly number[], t: number): number[] =>
    from.map((x, i) => x + t * (to[i]! - x));
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.value - best.value) <= tolerance) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.point[j]! / n;
    const reflected = along(centroid, worst.point, -1);
    const fr = value(reflected);
    if (fr < best.value) {
      const expanded = along(centroid, worst.point, -2);
      const fe = value(expanded);
      simplex[n] = fe < fr ? { point: expanded, value: fe } : { point: reflected, value: fr };
    } else if (fr < simplex[n - 1]!.value) {
      simplex[n] = { point: reflected, value: fr };
    } else {
      const inside = fr < worst.value;
      const contracted = along(centroid, inside ? reflected : worst.point, 0.5);
      const fc = value(contracted);
      if (fc < (inside ? fr : worst.value)) {
        simplex[n] = { point: contracted, value: fc };
      } else {
        for (let i = 1; i <= n; i++) {
          const p = along(best.point, simplex[i]!.point, 0.5);
          simplex[i] = { point: p, value: value(p) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0]!;
}
