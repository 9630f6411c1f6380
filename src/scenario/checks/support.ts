import type { Uncertain } from '../distribution';

/** The interval a distribution's values can fall in; the third entry is true when the lower end is open. */
export function supportOf(u: Uncertain): [number, number, boolean?] {
  if (typeof u === 'number') return [u, u];
  switch (u.dist) {
    case 'normal':
      // Draws are made by inversion of a 32-bit uniform, so they lie within ±6.4 sd.
      return [u.mean - 6.5 * u.sd, u.mean + 6.5 * u.sd];
    case 'lognormal':
    case 'gamma':
    case 'weibull':
    case 'lognormalPareto':
      return [0, Infinity, true];
    case 'pareto':
      return [u.min, Infinity];
    case 'triangular':
    case 'pert':
    case 'uniform':
      return [u.min, u.max];
    case 'beta':
      return [0, 1];
    case 'poisson':
      return [0, Infinity];
    case 'binomial':
      return [0, u.n];
    case 'empirical':
      // A loop, not Math.min(...values): a spread of some 100,000 values overflows the stack.
      return [
        u.values.reduce((a, x) => Math.min(a, x), Infinity),
        u.values.reduce((a, x) => Math.max(a, x), -Infinity),
      ];
  }
}

/** The typical value of an uncertain input: the number itself, or its distribution's mean or median. */
export function typicalOf(u: Uncertain): number {
  if (typeof u === 'number') return u;
  switch (u.dist) {
    case 'normal':
    case 'poisson':
      return u.mean;
    case 'lognormal':
      return u.median ?? (u.mu !== undefined ? Math.exp(u.mu) : Math.sqrt((u.p5 ?? 0) * (u.p95 ?? 0)));
    case 'gamma':
      return u.shape * u.scale;
    // Medians, in closed form (the scenario layer has no special functions): Weibull's
    // scale·(ln 2)^(1/shape), Pareto's min·2^(1/alpha), and a spliced body's exp(mu), at most
    // the threshold where the tail starts.
    case 'weibull':
      return u.scale * Math.pow(Math.LN2, 1 / u.shape);
    case 'pareto':
      return u.min * Math.pow(2, 1 / u.alpha);
    case 'lognormalPareto':
      return Math.min(Math.exp(u.mu), u.threshold);
    case 'triangular':
    case 'pert':
      return u.mode;
    case 'uniform':
      return (u.min + u.max) / 2;
    case 'beta':
      return u.alpha / (u.alpha + u.beta);
    case 'binomial':
      return u.n * u.p;
    case 'empirical':
      return u.values.reduce((a, x) => a + x, 0) / u.values.length;
  }
}

/** The mean of an uncertain input (the value the baseline uses), for checks made at validation. */
export function meanOfUncertain(u: Uncertain): number {
  if (typeof u !== 'object' || u.dist !== 'lognormal')
    return typeof u === 'number'
      ? u
      : u.dist === 'triangular'
        ? (u.min + u.mode + u.max) / 3
        : u.dist === 'pert'
          ? (u.min + u.lambda * u.mode + u.max) / (u.lambda + 2)
          : typicalOf(u);
  const z95 = 1.6448536269514722;
  let mu: number;
  let sigma: number;
  if (u.mu !== undefined && u.sigma !== undefined) [mu, sigma] = [u.mu, u.sigma];
  else if (u.median === undefined)
    [mu, sigma] = [(Math.log(u.p5!) + Math.log(u.p95!)) / 2, (Math.log(u.p95!) - Math.log(u.p5!)) / (2 * z95)];
  else {
    mu = Math.log(u.median);
    const spreads = [
      u.p5 === undefined ? undefined : (mu - Math.log(u.p5)) / z95,
      u.p95 === undefined ? undefined : (Math.log(u.p95) - mu) / z95,
    ].filter((x): x is number => x !== undefined);
    sigma = spreads.reduce((a, x) => a + x, 0) / Math.max(1, spreads.length);
  }
  return Math.exp(mu + (sigma * sigma) / 2);
}
