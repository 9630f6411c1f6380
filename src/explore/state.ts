/**
 * The explorer page's state: what the analyst has moved (strategy settings, which strategies are
 * shown, the influential inputs' central values and spreads, paths, seed, the year and the pair
 * compared, the tab and the language), how it is kept in the page's address, and the scenario it
 * makes. Browser-safe: the page and its tests use the same functions.
 */
import type { ScenarioInput } from '../scenario/schema';
import { OptionError } from '../errors';
import { candidateSpec, RESERVE, type CandidateFamily } from '../optimize/problem';
import { strategySpecId } from '../scenario/kinds';
import { parseScenario, valueAt } from '../scenario/parse';
import { adjustInput, type Bilingual, type InfluentialInput, type InputChange } from './inputs';

/** A setting of a strategy the page lets the analyst move. @category Explorer */
export interface StrategyControl {
  /** The path into the strategy's spec (`corridor`, `carryOver.deficitCap`), or `reserveKr`. */
  readonly name: string;
  /** A number in [min, max] in steps of `step`, shown × `scale` with `unit`; or one of `choices`. */
  readonly type: 'number' | 'choice';
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  /** The factor shown (100 for a share shown in %, 1e-6 for kr shown in m kr). */
  readonly scale?: number;
  /** `null` allowed (a cap left off: unlimited). */
  readonly nullable?: boolean;
  readonly choices?: readonly string[];
  /** The default when the strategy's spec has none. */
  readonly fallback: number | string | null;
  readonly label: { readonly en: string; readonly da: string };
  readonly unit: { readonly en: string; readonly da: string };
}

const OF_FRAME = { en: '% of the adopted frame', da: '% af den vedtagne ramme' };
const caps: readonly StrategyControl[] = [
  {
    name: 'carryOver.surplusCap',
    type: 'number',
    min: 0,
    max: 0.2,
    step: 0.005,
    scale: 100,
    nullable: true,
    fallback: 0.05,
    label: { en: 'Carry-over cap, surplus', da: 'Overførselsloft, mindreforbrug' },
    unit: OF_FRAME,
  },
  {
    name: 'carryOver.deficitCap',
    type: 'number',
    min: 0,
    max: 0.2,
    step: 0.005,
    scale: 100,
    nullable: true,
    fallback: 0.02,
    label: { en: 'Carry-over cap, deficit', da: 'Overførselsloft, merforbrug' },
    unit: OF_FRAME,
  },
  {
    name: 'reserveKr',
    type: 'number',
    min: 0,
    max: 50_000_000,
    step: 250_000,
    scale: 1e-6,
    fallback: 0,
    label: { en: "Reserve added to each service's frame", da: 'Reserve lagt til hver ydelses ramme' },
    unit: { en: 'm kr a year per service', da: 'mio. kr. om året pr. ydelse' },
  },
];

/** The settings the page offers for each built-in strategy kind. @category Explorer */
export const STRATEGY_CONTROLS: Readonly<Record<string, readonly StrategyControl[]>> = {
  frame: caps,
  demographicFrame: caps,
  hybrid: [
    {
      name: 'corridor',
      type: 'number',
      min: 0,
      max: 0.2,
      step: 0.005,
      scale: 100,
      fallback: 0.03,
      label: { en: 'Corridor', da: 'Korridor' },
      unit: OF_FRAME,
    },
    {
      name: 'marginalRate',
      type: 'number',
      min: 0,
      max: 1.5,
      step: 0.05,
      scale: 100,
      fallback: 0.7,
      label: { en: 'Marginal rate beyond the corridor', da: 'Marginalsats uden for korridoren' },
      unit: { en: '% of the deviation', da: '% af afvigelsen' },
    },
    {
      name: 'regulate',
      type: 'choice',
      choices: ['full', 'excess'],
      fallback: 'full',
      label: { en: 'Regulate', da: 'Reguler' },
      unit: { en: '', da: '' },
    },
    ...caps,
  ],
  activity: [
    {
      name: 'priceCorrection',
      type: 'number',
      min: 0,
      max: 1,
      step: 0.05,
      scale: 100,
      fallback: 0,
      label: { en: 'Price correction at year end', da: 'Efterregulering af prisen' },
      unit: { en: '% of the gap between cost and price', da: '% af forskellen mellem omkostning og pris' },
    },
    {
      name: 'unpaidLines',
      type: 'choice',
      choices: ['none', 'external-place-days'],
      fallback: 'none',
      label: { en: 'Lines not paid for', da: 'Linjer, der ikke afregnes' },
      unit: { en: '', da: '' },
    },
  ],
};

/** What the analyst has moved; every field optional, the page's defaults filling the rest. @category Explorer */
export interface ExplorerState {
  /** Per strategy id: settings moved (by control name) and whether it is hidden. */
  readonly strategies?: Readonly<
    Record<string, { readonly hidden?: boolean; readonly settings?: Readonly<Record<string, number | string | null>> }>
  >;
  /** Per input name (for example `home-care.useRateTrendPerYear`): its change. */
  readonly inputs?: Readonly<Record<string, InputChange>>;
  readonly paths?: number;
  readonly seed?: number | string;
  readonly year?: number;
  /** The pair whose paired difference is drawn, `[a, b]` for a − b. */
  readonly compare?: readonly [string, string];
  readonly tab?: 'budget' | 'services';
  readonly locale?: 'en' | 'da';
}

/** The fewest and most paths the page runs. */
export const EXPLORER_PATHS = { min: 200, max: 20_000 } as const;

/**
 * The state as the page's address keeps it: `#` and the state's JSON, URI-encoded (only what
 * was moved, so a link stays short).
 *
 * @param state - what the analyst has moved
 * @returns the address's hash
 *
 * @example
 * ```ts
 * encodeState({ paths: 1000 }); //=> '#%7B%22paths%22%3A1000%7D'
 * ```
 * @category Explorer
 */
export function encodeState(state: ExplorerState): string {
  return `#${encodeURIComponent(JSON.stringify(state))}`;
}

/**
 * The state from an address's hash (with or without `#`); an empty hash is the empty state.
 *
 * @param hash - the address's hash, as {@link encodeState} writes it
 * @returns the state
 *
 * @throws `OptionError` naming what in the hash is not a state
 * @example
 * ```ts
 * decodeState('#%7B%22paths%22%3A1000%7D').paths; //=> 1000
 * ```
 * @category Explorer
 */
export function decodeState(hash: string): ExplorerState {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(text));
  } catch {
    throw new OptionError(
      `the address's state is not readable: expected URI-encoded JSON; received "${text.slice(0, 80)}"`,
      {
        option: 'state',
        received: text.slice(0, 80),
      },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new OptionError("the address's state must be an object", { option: 'state', received: value });
  const s = value as Record<string, unknown>;
  const problem = (field: string, expected: string) =>
    new OptionError(`the address's state: ${field} ${expected}; received ${JSON.stringify(s[field])}`, {
      option: `state.${field}`,
      received: s[field],
    });
  if (
    s.paths !== undefined &&
    !(
      Number.isInteger(s.paths) &&
      (s.paths as number) >= EXPLORER_PATHS.min &&
      (s.paths as number) <= EXPLORER_PATHS.max
    )
  )
    throw problem('paths', `must be a whole number from ${EXPLORER_PATHS.min} to ${EXPLORER_PATHS.max}`);
  if (s.seed !== undefined && typeof s.seed !== 'number' && typeof s.seed !== 'string')
    throw problem('seed', 'must be a number or a string');
  if (s.year !== undefined && !Number.isInteger(s.year)) throw problem('year', 'must be a year');
  if (s.locale !== undefined && s.locale !== 'en' && s.locale !== 'da') throw problem('locale', 'must be "en" or "da"');
  if (s.tab !== undefined && s.tab !== 'budget' && s.tab !== 'services')
    throw problem('tab', 'must be "budget" or "services"');
  if (
    s.compare !== undefined &&
    !(Array.isArray(s.compare) && s.compare.length === 2 && s.compare.every((x) => typeof x === 'string'))
  )
    throw problem('compare', 'must be two strategy ids');
  for (const key of ['strategies', 'inputs'] as const)
    if (s[key] !== undefined && (s[key] === null || typeof s[key] !== 'object' || Array.isArray(s[key])))
      throw problem(key, 'must be an object');
  for (const [name, change] of Object.entries((s.inputs ?? {}) as Record<string, unknown>)) {
    const c = change as Record<string, unknown> | null;
    if (c === null || typeof c !== 'object') throw problem('inputs', `must map ${name} to { central, spreadFactor }`);
    for (const k of ['central', 'spreadFactor'])
      if (c[k] !== undefined && !(typeof c[k] === 'number' && Number.isFinite(c[k])))
        throw problem('inputs', `must give ${name}.${k} as a finite number`);
  }
  return s as ExplorerState;
}

/** A strategy spec as a scenario writes it: its kind, its id and its settings. @category Explorer */
export type ExplorerSpec = Readonly<Record<string, unknown>> & { readonly kind: string; readonly id?: string };

/** A strategy the page offers: its spec, and whether it is shown before the analyst chooses. @category Explorer */
export interface ExplorerStrategy {
  readonly spec: ExplorerSpec;
  readonly shownByDefault: boolean;
}

/** The built-in kinds the page offers beside a scenario's own strategies (hidden until chosen). */
const OFFERED_KINDS = ['frame', 'activity', 'hybrid', 'demographicFrame'] as const;

/**
 * The strategies the page offers: the scenario's own (shown), then each built-in kind it lacks
 * (hidden until chosen).
 *
 * @param specs - the scenario's strategy specs (as `parseScenario` gives them)
 * @returns the offered strategies, the scenario's first
 * @example
 * ```ts
 * explorerStrategies([{ kind: 'frame' }, { kind: 'activity' }]).map((s) => [s.spec.kind, s.shownByDefault]);
 * //=> [['frame', true], ['activity', true], ['hybrid', false], ['demographicFrame', false]]
 * ```
 * @category Explorer
 */
export function explorerStrategies(specs: readonly ExplorerSpec[]): ExplorerStrategy[] {
  const own = specs.map((spec) => ({ spec, shownByDefault: true }));
  const ids = new Set(specs.map(specId));
  const kinds = new Set(specs.map((s) => s.kind));
  const offered = OFFERED_KINDS.filter((k) => !kinds.has(k) && !ids.has(k)).map((kind) => ({
    spec: { kind },
    shownByDefault: false,
  }));
  return [...own, ...offered];
}

/** Whether a strategy is shown in a state. */
export function isShown(state: ExplorerState, s: ExplorerStrategy): boolean {
  const hidden = state.strategies?.[specId(s.spec)]?.hidden;
  return hidden === undefined ? s.shownByDefault : !hidden;
}

/** A strategy's id as the run names it: its `id`, else its kind's (`demographic-frame` …). */
export function specId(spec: ExplorerSpec): string {
  return strategySpecId(spec as Parameters<typeof strategySpecId>[0]);
}

/** A setting's value in a spec (a path of keys), or undefined. */
export function settingOf(spec: ExplorerSpec, name: string): unknown {
  return valueAt(spec, name.split('.'));
}

/**
 * A strategy's spec with the page's settings applied: the reserve added to the first simulated
 * year's adjustments (kept, uprated, in later frames), `unpaidLines` `none` as no list.
 */
export function specWithSettings(
  spec: ExplorerSpec,
  settings: Readonly<Record<string, number | string | null>>,
  firstYear: number,
): Record<string, unknown> {
  // The steering search's own candidate spec: the settings by path, the reserve in the first
  // year's adjustments; the unpaid lines (one choice here) set as a list.
  const { kind, id, unpaidLines, ...fixed } = spec;
  let lines = unpaidLines as readonly string[] | undefined;
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (name === 'unpaidLines') lines = value === 'none' ? undefined : [value as string];
    else if (!(name === RESERVE && value === 0)) values[name] = value;
  }
  return candidateSpec(
    { kind: kind as CandidateFamily['kind'], fixed: lines === undefined ? fixed : { ...fixed, unpaidLines: lines } },
    values,
    firstYear,
    id,
  );
}

/**
 * An assumption the page lets the analyst move: an uncertain input (its distribution moved by
 * {@link adjustInput}), or a population group's forecast error (its drift a year as the central
 * value, its growth error's sd as the spread).
 *
 * @category Explorer
 */
export interface AssumptionControl {
  /** The key in {@link ExplorerState.inputs}: the model's input name, or `population.<group>`. */
  readonly key: string;
  readonly label: Bilingual;
  readonly unit: Bilingual;
  /** The central value and spread as the scenario has them. */
  readonly central: number;
  readonly spread: number;
  /** `sd`, `logSd` (a lognormal's sigma) or `none` (a number: no spread to scale). */
  readonly spreadKind: 'sd' | 'logSd' | 'none';
  /** An uncertain input: the scenario field holding it. */
  readonly path?: readonly (string | number)[];
  /** A population group's forecast error: the group's index in `population.groups`. */
  readonly populationGroup?: number;
}

/**
 * The assumption controls of a page: {@link influentialInputs}' inputs, then each population
 * group's forecast error (its drift a year and its growth error's sd).
 *
 * @param scenario - the scenario the page is built from
 * @param inputs - its influential inputs
 * @returns the controls, the inputs first
 * @example
 * ```ts
 * assumptionControls(lejre2034(), []).map((c) => c.key); //=> ['population.67-79', 'population.80+']
 * ```
 * @category Explorer
 */
export function assumptionControls(scenario: ScenarioInput, inputs: readonly InfluentialInput[]): AssumptionControl[] {
  const out: AssumptionControl[] = inputs.map((i) => ({
    key: i.name,
    label: i.label,
    unit: i.unit,
    central: i.central,
    spread: i.spread,
    spreadKind: i.spreadKind,
    path: i.path,
  }));
  scenario.population.groups.forEach((g, k) => {
    const group = g as { id: string; errorDriftPerYear?: number; errorGrowthSdPerYear?: number };
    out.push({
      key: `population.${group.id}`,
      label: {
        en: `Population ${group.id}: outcome against the forecast`,
        da: `Befolkning ${group.id}: udfald mod prognosen`,
      },
      unit: { en: 'a relative change a year', da: 'relativ ændring om året' },
      central: group.errorDriftPerYear ?? 0,
      spread: group.errorGrowthSdPerYear ?? 0.006,
      spreadKind: 'sd',
      populationGroup: k,
    });
  });
  return out;
}

/**
 * The scenario of a state: the strategies shown, each with its settings; the assumptions moved;
 * the paths and seed. `carebudget run` on it (as YAML or JSON) gives the page's numbers.
 *
 * @param base - the scenario the page was built from
 * @param state - what the analyst has moved
 * @param controls - the page's assumption controls ({@link assumptionControls})
 * @param specs - the strategies the page offers ({@link explorerStrategies})
 * @returns the scenario, as `carebudget run` takes it
 * @throws `OptionError` when no strategy is shown, a setting or change leaves its range, or
 *   a state names an assumption or strategy the page does not have
 * @example
 * ```ts
 * const base = lejre2034();
 * const offered = explorerStrategies(parseScenario(base).strategies);
 * const s = scenarioOfState(base, { strategies: { hybrid: { hidden: false, settings: { corridor: 0.01 } } } }, [], offered);
 * s.strategies?.map((x) => x.kind); //=> ['frame', 'activity', 'hybrid']
 * ```
 * @category Explorer
 */
export function scenarioOfState(
  base: ScenarioInput,
  state: ExplorerState,
  controls: readonly AssumptionControl[],
  specs: readonly ExplorerStrategy[],
): ScenarioInput {
  const firstYear = base.baseYear + 1;
  const ids = specs.map((s) => specId(s.spec));
  for (const id of Object.keys(state.strategies ?? {}))
    if (!ids.includes(id))
      throw new OptionError(`the state names a strategy "${id}" the scenario does not have (${ids.join(', ')})`, {
        option: 'state.strategies',
        received: id,
      });
  const strategies = specs
    .filter((s) => isShown(state, s))
    .map((s) => specWithSettings(s.spec, state.strategies?.[specId(s.spec)]?.settings ?? {}, firstYear));
  if (strategies.length === 0)
    throw new OptionError('show at least one strategy', { option: 'state.strategies', received: [] });
  let scenario: ScenarioInput = { ...base, strategies: strategies as ScenarioInput['strategies'] };
  for (const [key, change] of Object.entries(state.inputs ?? {})) {
    const control = controls.find((c) => c.key === key);
    if (control === undefined)
      throw new OptionError(`the state names an assumption "${key}" the page does not have`, {
        option: 'state.inputs',
        received: key,
      });
    if (control.path !== undefined) scenario = adjustInput(scenario, control.path, change);
    else {
      const k = control.populationGroup!;
      const groups = scenario.population.groups.map((g, i) => {
        if (i !== k) return g;
        const own = g as Record<string, unknown>;
        return {
          ...own,
          ...(change.central === undefined ? {} : { errorDriftPerYear: change.central }),
          ...(change.spreadFactor === undefined ? {} : { errorGrowthSdPerYear: control.spread * change.spreadFactor }),
        };
      }) as ScenarioInput['population']['groups'];
      scenario = { ...scenario, population: { ...scenario.population, groups } };
    }
  }
  return {
    ...scenario,
    ...(state.paths === undefined ? {} : { paths: state.paths }),
    ...(state.seed === undefined ? {} : { seed: state.seed }),
  };
}

/**
 * The range a control's central value moves over: ±3 spreads (a lognormal's ×/÷ e^(3σ)), else
 * ±50 % (at least ±0.01), with a step of a sixtieth of the half-range.
 *
 * @param a - the control
 * @returns the range and the slider's step
 * @example
 * ```ts
 * centralRange({ key: 'k', label: { en: '', da: '' }, unit: { en: '', da: '' }, central: 0, spread: 0.01, spreadKind: 'sd' }).max; //=> 0.03
 * ```
 * @category Explorer
 */
export function centralRange(a: AssumptionControl): { min: number; max: number; step: number } {
  const c = a.central;
  if (a.spreadKind === 'logSd' && a.spread > 0)
    return { min: c * Math.exp(-3 * a.spread), max: c * Math.exp(3 * a.spread), step: (c * a.spread) / 20 };
  const half = a.spread > 0 && Number.isFinite(a.spread) ? 3 * a.spread : Math.max(Math.abs(c) * 0.5, 0.01);
  return { min: c - half, max: c + half, step: half / 60 };
}

/** The widest moves of a control the scenario accepts: its central value's ends and its spread's largest factor. */
export interface ControlLimits {
  readonly min: number;
  readonly max: number;
  readonly maxSpread: number;
}

/**
 * The limits of each assumption control on a scenario: each end of {@link centralRange} and a
 * spread factor of 3, pulled in (by bisection) until the scenario takes the change alone.
 *
 * @param scenario - the scenario the page is built from
 * @param controls - its assumption controls
 * @returns the limits by control key
 * @example
 * ```ts
 * const c = assumptionControls(lejre2034(), []);
 * controlLimits(lejre2034(), c)['population.80+']!.maxSpread; //=> 3
 * ```
 * @category Explorer
 */
export function controlLimits(
  scenario: ScenarioInput,
  controls: readonly AssumptionControl[],
): Record<string, ControlLimits> {
  const out: Record<string, ControlLimits> = {};
  const offered = explorerStrategies(parseScenario(scenario).strategies as unknown as ExplorerSpec[]);
  for (const a of controls) {
    const ok = (change: InputChange): boolean => {
      try {
        parseScenario(scenarioOfState(scenario, { inputs: { [a.key]: change } }, [a], offered));
        return true;
      } catch {
        return false;
      }
    };
    const pull = (from: number, to: number, test: (x: number) => boolean): number => {
      if (test(to)) return to;
      let [good, bad] = [from, to];
      for (let k = 0; k < 10; k++) {
        const mid = (good + bad) / 2;
        if (test(mid)) good = mid;
        else bad = mid;
      }
      return good;
    };
    const r = centralRange(a);
    out[a.key] = {
      min: pull(a.central, r.min, (x) => ok({ central: x })),
      max: pull(a.central, r.max, (x) => ok({ central: x })),
      maxSpread: a.spreadKind === 'none' ? 1 : pull(1, 3, (f) => ok({ spreadFactor: f })),
    };
  }
  return out;
}
