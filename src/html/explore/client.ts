/// <reference lib="dom" />
/**
 * The explorer page's script, bundled into the page: in the page it builds the controls, runs
 * the scenario in Web Workers started from its own source, and draws the answer; in a worker it
 * runs parts of the scenario's paths. No UI library: a few dozen plain form controls.
 */
import { View, parse as parseVega } from 'vega';
import { compile } from 'vega-lite';
import { stringify as toYaml } from 'yaml';
import { parseScenario } from '../../scenario/parse';
import type { ScenarioInput } from '../../scenario/schema';
import { strategiesFromSpecs } from '../../steering/fromSpec';
import {
  allocateResult,
  mergeResults,
  resultBuffer,
  resultLabel,
  resultMeta,
  type SimulationResult,
} from '../../simulation/result';
import { summarize } from '../../results/summary';
import {
  differenceChart,
  distributionChart,
  fanChart,
  metricsChart,
  overspendChart,
  whoBearsChart,
  type ChartSpec,
} from '../../charts/specs';
import { strategyName, type Named } from '../../charts/locale';
import { headlineHtml, renderReport } from '../render';
import {
  STRATEGY_CONTROLS,
  assumptionControls,
  centralRange,
  decodeState,
  encodeState,
  explorerStrategies,
  isShown,
  scenarioOfState,
  settingOf,
  specId,
  EXPLORER_PATHS,
  type AssumptionControl,
  type ExplorerState,
  type ExplorerStrategy,
  type StrategyControl,
} from '../../explore/state';
import type { ExplorerConfig, RunRequest, WorkerReply } from './protocol';
import { runPart, type PartCache } from './part';
import { TEXT, type Words } from './words';

declare const self: unknown;

const inWorker = typeof document === 'undefined';

// ---------------------------------------------------------------------------------------------
// The worker: runs parts of a scenario's paths, its model built once per scenario.

function workerMain(): void {
  const scope = self as {
    onmessage: ((e: MessageEvent<RunRequest>) => void) | null;
    postMessage(m: WorkerReply, transfer?: Transferable[]): void;
  };
  const cache: PartCache = { key: '' };
  scope.onmessage = (event) => {
    const r = event.data;
    try {
      const result = runPart(cache, r);
      const buffer = resultBuffer(result)!;
      scope.postMessage({ type: 'part', run: r.run, pathStart: r.pathStart, meta: resultMeta(result), buffer }, [
        buffer,
      ]);
    } catch (e) {
      scope.postMessage({ type: 'error', run: r.run, message: e instanceof Error ? e.message : String(e) });
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The page.

/** The page's own script text, to start the workers from (captured before anything runs). */
const ownSource = inWorker ? '' : (document.currentScript?.textContent ?? '');

interface Page {
  readonly config: ExplorerConfig;
  readonly base: ScenarioInput;
  readonly strategies: readonly ExplorerStrategy[];
  readonly assumptions: readonly AssumptionControl[];
  readonly years: readonly number[];
  /** The scenario's own paths (its schema's default when it has none). */
  readonly defaultPaths: number;
  readonly names: ReadonlyMap<string, Named>;
  state: ExplorerState;
  workers: Worker[];
  idle: Worker[];
  run: number;
  queue: { pathStart: number; paths: number }[];
  parts: Map<number, SimulationResult>;
  total: number;
  scenario: ScenarioInput | undefined;
  result: SimulationResult | undefined;
  shownPaths: number;
  lastDraw: number;
  /** The run that failed (an error, or a state that makes no scenario), if the latest did. */
  failed: number;
  /** A drawing in progress, and whether a newer result waits for it to end: one drawing at a time. */
  drawing: boolean;
  again: boolean;
  startedAt: number;
  views: View[];
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

function words(page: Page): Words {
  return TEXT[page.state.locale ?? page.config.locale];
}

function localeTag(page: Page): string {
  return (page.state.locale ?? page.config.locale) === 'da' ? 'da-DK' : 'en-GB';
}

/** A number in the page's language, with at most `digits` significant digits. */
function num(page: Page, x: number, digits = 3): string {
  return new Intl.NumberFormat(localeTag(page), { maximumSignificantDigits: digits }).format(x);
}

function pageMain(): Page {
  const config = JSON.parse($('cb-config').textContent!) as ExplorerConfig;
  const parsed = parseScenario(config.scenario);
  const strategies = explorerStrategies(parsed.strategies as unknown as ExplorerStrategy['spec'][]).filter(
    (s) => s.shownByDefault || config.offered.includes(s.spec.kind),
  );
  // Each offered strategy's name, as its definition gives it.
  const every = parseScenario({ ...config.scenario, strategies: strategies.map((s) => s.spec) }).strategies;
  // With their names in each language: a built-in strategy given an id of its own has a Danish one.
  const names = new Map(strategiesFromSpecs(every).map((d) => [d.id, resultLabel(d)]));
  const years = Array.from({ length: parsed.horizonYears }, (_, i) => parsed.baseYear + 1 + i);
  let state: ExplorerState = {};
  let stateProblem: string | undefined;
  try {
    state = decodeState(location.hash);
  } catch (e) {
    stateProblem = (e as Error).message;
  }
  const page: Page = {
    config,
    base: config.scenario,
    strategies,
    assumptions: assumptionControls(config.scenario, config.inputs),
    years,
    defaultPaths: parsed.paths,
    names,
    state,
    workers: [],
    idle: [],
    run: 0,
    queue: [],
    parts: new Map(),
    total: 0,
    scenario: undefined,
    result: undefined,
    shownPaths: 0,
    lastDraw: 0,
    failed: 0,
    drawing: false,
    again: false,
    startedAt: 0,
    views: [],
  };
  const count = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
  const url = URL.createObjectURL(new Blob([ownSource], { type: 'text/javascript' }));
  for (let i = 0; i < count; i++) {
    const w = new Worker(url);
    w.onmessage = (e: MessageEvent<WorkerReply>) => onReply(page, w, e.data);
    w.onerror = (e) => {
      // A worker that fails outside a run's part: the run cannot finish; its worker is free again.
      e.preventDefault();
      if (!page.idle.includes(w)) page.idle.push(w);
      failRun(page, e.message);
    };
    page.workers.push(w);
    page.idle.push(w);
  }
  // A link from an older page may name strategies or assumptions this one lacks: they are dropped.
  const known = {
    strategies: new Set(strategies.map((s) => specId(s.spec))),
    inputs: new Set(page.assumptions.map((a) => a.key)),
  };
  const unknown = [
    ...Object.keys(state.strategies ?? {}).filter((k) => !known.strategies.has(k)),
    ...Object.keys(state.inputs ?? {}).filter((k) => !known.inputs.has(k)),
  ];
  if (unknown.length > 0) {
    page.state = {
      ...state,
      strategies: Object.fromEntries(Object.entries(state.strategies ?? {}).filter(([k]) => known.strategies.has(k))),
      inputs: Object.fromEntries(Object.entries(state.inputs ?? {}).filter(([k]) => known.inputs.has(k))),
    };
    stateProblem = words(page).unknown(unknown.join(', '));
  }
  if (stateProblem !== undefined) history.replaceState(null, '', encodeState(page.state));
  buildControls(page);
  start(page);
  if (stateProblem !== undefined) showProblem(page, stateProblem);
  return page;
}

// -- Controls ----------------------------------------------------------------------------------

/**
 * Applies a change to the state and keeps it in the address; `rebuild` redraws the controls
 * (keeping the focus on the control that had it); `rerun` false for a change of the view only
 * (the tab, the year, the pair compared): the paths are not run again, only drawn.
 */
function setState(page: Page, change: (s: ExplorerState) => ExplorerState, rebuild = false, rerun = true): void {
  page.state = change(page.state);
  history.replaceState(null, '', encodeState(page.state));
  if (rebuild) {
    const focused = document.activeElement?.id;
    buildControls(page);
    if (focused !== undefined && focused !== '') document.getElementById(focused)?.focus();
  }
  if (rerun || page.scenario === undefined) start(page);
  else if (page.result !== undefined) requestDraw(page);
}

function strategySettings(page: Page, id: string): Readonly<Record<string, number | string | null>> {
  return page.state.strategies?.[id]?.settings ?? {};
}

function withStrategy(
  s: ExplorerState,
  id: string,
  change: (own: { hidden?: boolean; settings?: Readonly<Record<string, number | string | null>> }) => {
    hidden?: boolean;
    settings?: Readonly<Record<string, number | string | null>>;
  },
): ExplorerState {
  const own = s.strategies?.[id] ?? {};
  return { ...s, strategies: { ...(s.strategies ?? {}), [id]: change(own) } };
}

/** A setting's current value: the state's, else the spec's, else the control's default. */
function settingValue(page: Page, s: ExplorerStrategy, c: StrategyControl): number | string | null {
  const moved = strategySettings(page, specId(s.spec))[c.name];
  if (moved !== undefined) return moved;
  if (c.name === 'unpaidLines') {
    const lines = s.spec.unpaidLines as readonly string[] | undefined;
    return lines === undefined || lines.length === 0 ? 'none' : lines[0]!;
  }
  const own = settingOf(s.spec, c.name);
  return own === undefined ? c.fallback : (own as number | string | null);
}

/** A value in an input's unit: relative changes and shares in %, others as they are. */
function inUnit(page: Page, x: number, unit: { readonly en: string; readonly da: string }): string {
  const lang = page.state.locale ?? page.config.locale;
  if (/relative change|growth a year/.test(unit.en))
    return `${num(page, 100 * x, 3)} % ${lang === 'da' ? 'om året' : 'a year'}`;
  if (/^an? share/.test(unit.en)) return `${num(page, 100 * x, 3)} %`;
  return `${num(page, x, 4)} ${unit[lang]}`.trim();
}

function shown(page: Page, value: number, c: StrategyControl): string {
  return `${num(page, value * (c.scale ?? 1), 4)} ${c.unit[page.state.locale ?? page.config.locale]}`.trim();
}

function strategyFieldset(page: Page, s: ExplorerStrategy): HTMLElement {
  const w = words(page);
  const id = specId(s.spec);
  const lang = page.state.locale ?? page.config.locale;
  const name = strategyName(page.names.get(id) ?? { id, label: id }, lang);
  const box = el('input', { type: 'checkbox', id: `show-${id}`, 'data-strategy': id });
  box.checked = isShown(page.state, s);
  box.addEventListener('change', () =>
    setState(page, (st) => withStrategy(st, id, (o) => ({ ...o, hidden: !box.checked }))),
  );
  const fs = el(
    'fieldset',
    { class: box.checked ? 'strategy' : 'strategy off', 'data-strategy': id },
    el('legend', {}, box, ' ', el('label', { for: `show-${id}`, text: name })),
  );
  for (const c of STRATEGY_CONTROLS[s.spec.kind] ?? []) {
    const cid = `set-${id}-${c.name.replace(/\./g, '-')}`;
    const label = el('label', { for: cid, text: c.label[lang] });
    const value = settingValue(page, s, c);
    if (c.type === 'choice') {
      const select = el('select', { id: cid, 'data-setting': c.name });
      for (const choice of c.choices ?? [])
        select.append(el('option', { value: choice, text: w.choice[choice] ?? choice, selected: choice === value }));
      select.addEventListener('change', () =>
        setState(page, (st) =>
          withStrategy(st, id, (o) => ({ ...o, settings: { ...(o.settings ?? {}), [c.name]: select.value } })),
        ),
      );
      fs.append(el('div', { class: 'control' }, label, select));
      continue;
    }
    const unlimited = value === null;
    const input = el('input', {
      type: 'range',
      id: cid,
      'data-setting': c.name,
      min: c.min!,
      max: c.max!,
      step: c.step!,
      value: String(unlimited ? c.fallback : value),
      disabled: unlimited,
    });
    const out = el('output', { for: cid, text: unlimited ? w.unlimited : shown(page, Number(value), c) });
    // The value as read aloud: with its unit, as shown.
    const speak = () => input.setAttribute('aria-valuetext', out.textContent ?? '');
    speak();
    input.addEventListener('input', () => {
      out.textContent = shown(page, Number(input.value), c);
      speak();
    });
    input.addEventListener('change', () =>
      setState(page, (st) =>
        withStrategy(st, id, (o) => ({ ...o, settings: { ...(o.settings ?? {}), [c.name]: Number(input.value) } })),
      ),
    );
    const row = el('div', { class: 'control' }, label, input, out);
    if (c.nullable === true) {
      const none = el('input', { type: 'checkbox', id: `${cid}-none` });
      none.checked = unlimited;
      none.addEventListener('change', () =>
        setState(
          page,
          (st) =>
            withStrategy(st, id, (o) => ({
              ...o,
              settings: { ...(o.settings ?? {}), [c.name]: none.checked ? null : Number(input.value) },
            })),
          true,
        ),
      );
      row.append(el('span', { class: 'none' }, none, el('label', { for: `${cid}-none`, text: w.noCap })));
    }
    fs.append(row);
  }
  return fs;
}

function assumptionFieldset(page: Page, a: AssumptionControl, index: number): HTMLElement {
  const w = words(page);
  const lang = page.state.locale ?? page.config.locale;
  const change = page.state.inputs?.[a.key] ?? {};
  const central = change.central ?? a.central;
  const factor = change.spreadFactor ?? 1;
  // The range the scenario accepts, found when the page was built (see renderExplorer).
  const limit = page.config.limits[a.key];
  const range = { ...centralRange(a), ...(limit === undefined ? {} : { min: limit.min, max: limit.max }) };
  const cid = `input-${index}-central`;
  const sid = `input-${index}-spread`;
  const centralInput = el('input', {
    type: 'range',
    id: cid,
    'data-input': a.key,
    min: range.min,
    max: range.max,
    step: range.step,
    value: central,
  });
  const text = (x: number) => inUnit(page, x, a.unit);
  const centralOut = el('output', { for: cid, text: text(central) });
  centralInput.setAttribute('aria-valuetext', centralOut.textContent ?? '');
  centralInput.addEventListener('input', () => {
    centralOut.textContent = text(Number(centralInput.value));
    centralInput.setAttribute('aria-valuetext', centralOut.textContent);
  });
  const set = (patch: { central?: number; spreadFactor?: number }) =>
    setState(page, (st) => ({
      ...st,
      inputs: { ...(st.inputs ?? {}), [a.key]: { ...(st.inputs?.[a.key] ?? {}), ...patch } },
    }));
  centralInput.addEventListener('change', () => set({ central: Number(centralInput.value) }));
  const fs = el(
    'fieldset',
    { class: 'assumption', 'data-assumption': a.key },
    el('legend', { text: a.label[lang] }),
    el('div', { class: 'control' }, el('label', { for: cid, text: w.central }), centralInput, centralOut),
  );
  if (a.spreadKind !== 'none') {
    const spreadInput = el('input', {
      type: 'range',
      id: sid,
      'data-input-spread': a.key,
      min: 0,
      max: page.config.limits[a.key]?.maxSpread ?? 3,
      step: 0.05,
      value: factor,
    });
    const spreadText = (f: number) =>
      `× ${num(page, f, 3)} (${a.spreadKind === 'logSd' ? w.logSd : w.sd} ${a.spreadKind === 'logSd' ? num(page, a.spread * f, 3) : text(a.spread * f)})`;
    const spreadOut = el('output', { for: sid, text: spreadText(factor) });
    spreadInput.setAttribute('aria-valuetext', spreadOut.textContent ?? '');
    spreadInput.addEventListener('input', () => {
      spreadOut.textContent = spreadText(Number(spreadInput.value));
      spreadInput.setAttribute('aria-valuetext', spreadOut.textContent);
    });
    spreadInput.addEventListener('change', () => set({ spreadFactor: Number(spreadInput.value) }));
    fs.append(el('div', { class: 'control' }, el('label', { for: sid, text: w.spread }), spreadInput, spreadOut));
  }
  return fs;
}

function runFieldset(page: Page): HTMLElement {
  const w = words(page);
  const lang = page.state.locale ?? page.config.locale;
  const paths = page.state.paths ?? page.defaultPaths;
  const pathsSelect = el('select', { id: 'paths' });
  for (const p of [500, 1000, 2000, 5000, 10000, paths]
    .filter((p, i, all) => all.indexOf(p) === i)
    .sort((a, b) => a - b))
    if (p >= EXPLORER_PATHS.min && p <= EXPLORER_PATHS.max)
      pathsSelect.append(el('option', { value: p, text: num(page, p, 6), selected: p === paths }));
  pathsSelect.addEventListener('change', () => setState(page, (s) => ({ ...s, paths: Number(pathsSelect.value) })));
  const seed = el('input', {
    id: 'seed',
    type: 'text',
    value: String(page.state.seed ?? page.base.seed ?? 1),
    size: 8,
  });
  seed.addEventListener('change', () =>
    setState(page, (s) => ({ ...s, seed: /^-?\d+$/.test(seed.value) ? Number(seed.value) : seed.value })),
  );
  const year = el('select', { id: 'year' });
  const chosen = page.state.year ?? page.years[page.years.length - 1]!;
  for (const y of page.years) year.append(el('option', { value: y, text: String(y), selected: y === chosen }));
  year.addEventListener('change', () => setState(page, (s) => ({ ...s, year: Number(year.value) }), false, false));
  const language = el('select', { id: 'locale' });
  for (const [v, t] of [
    ['en', 'English'],
    ['da', 'Dansk'],
  ] as const)
    language.append(el('option', { value: v, text: t, selected: v === lang }));
  language.addEventListener('change', () =>
    setState(page, (s) => ({ ...s, locale: language.value as 'en' | 'da' }), true),
  );
  return el(
    'fieldset',
    { class: 'run' },
    el('legend', { text: w.run }),
    el('div', { class: 'control' }, el('label', { for: 'paths', text: w.paths }), pathsSelect),
    el('div', { class: 'control' }, el('label', { for: 'seed', text: w.seed }), seed),
    el('div', { class: 'control' }, el('label', { for: 'year', text: w.year }), year),
    el('div', { class: 'control' }, el('label', { for: 'locale', text: w.language }), language),
  );
}

function buildControls(page: Page): void {
  const w = words(page);
  const lang = page.state.locale ?? page.config.locale;
  document.documentElement.lang = lang;
  document.title = `${w.title}: ${page.base.name}`;
  $('title').textContent = `${w.title}: ${page.base.name}`;
  $('intro').textContent = w.intro;
  const panel = $('controls');
  panel.setAttribute('aria-label', w.controls);
  panel.replaceChildren(
    el('h2', { text: w.strategies }),
    ...page.strategies.map((s) => strategyFieldset(page, s)),
    el('h2', { text: w.assumptions }),
    el('p', { class: 'note', text: w.assumptionsNote }),
    ...page.assumptions.map((a, i) => assumptionFieldset(page, a, i)),
    runFieldset(page),
  );
  const tabs = $('tabs');
  tabs.replaceChildren();
  for (const [tab, label] of [
    ['budget', w.budgetTab],
    ['services', w.servicesTab],
  ] as const) {
    const b = el('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${tab}`,
      'aria-selected': (page.state.tab ?? 'budget') === tab ? 'true' : 'false',
      'aria-controls': `panel-${tab}`,
      text: label,
    });
    b.tabIndex = (page.state.tab ?? 'budget') === tab ? 0 : -1;
    b.addEventListener('click', () => setState(page, (s) => ({ ...s, tab }), true, false));
    // Arrow keys move between the tabs, as a tab list's keyboard pattern has it.
    b.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = tab === 'budget' ? 'services' : 'budget';
      setState(page, (s) => ({ ...s, tab: next }), true, false);
      $(`tab-${next}`).focus();
    });
    tabs.append(b);
  }
  $('panel-budget').hidden = (page.state.tab ?? 'budget') !== 'budget';
  $('panel-services').hidden = (page.state.tab ?? 'budget') !== 'services';
  $('download-scenario').textContent = w.downloadScenario;
  $('download-report').textContent = w.downloadReport;
  $('compare-label').textContent = w.compare;
}

// -- Running -----------------------------------------------------------------------------------

/** A message about a scenario field, with the name of the control that moves it in front. */
function labelled(page: Page, message: string): string {
  const lang = page.state.locale ?? page.config.locale;
  const a = page.assumptions.find((x) => x.path !== undefined && message.startsWith(`${x.path.join('.')}:`));
  return a === undefined ? message : `${a.label[lang]}: ${message}`;
}

/**
 * A run that cannot go on: its queued parts dropped, its later parts ignored, and the figures of
 * any earlier run taken off the page, so that nothing shown belongs to another state.
 */
function failRun(page: Page, message: string): void {
  page.failed = page.run;
  page.queue = [];
  page.result = undefined;
  for (const v of page.views.splice(0)) v.finalize();
  for (const id of ['headline', 'mc-error', 'compare-pair', ...CHARTS]) $(id).replaceChildren();
  showProblem(page, message);
  $('status').textContent = words(page).problem;
  document.body.dataset.state = 'error';
  updateReportButton(page);
}

/** The report button: usable once the run has reached its full count. */
function updateReportButton(page: Page): void {
  const button = $<HTMLButtonElement>('download-report');
  const ready = page.result !== undefined && page.shownPaths >= page.total && page.failed !== page.run;
  button.disabled = !ready;
  button.title = ready ? '' : words(page).wait;
}

function showProblem(page: Page, message: string): void {
  const p = $('problem');
  p.hidden = false;
  p.textContent = `${words(page).problem}: ${message}`;
}

/** Starts a run of the state's scenario: a first answer from a few hundred paths, then the rest. */
function start(page: Page): void {
  page.run++;
  page.queue = [];
  page.parts = new Map();
  page.result = undefined;
  page.shownPaths = 0;
  page.lastDraw = 0;
  $('problem').hidden = true;
  document.body.dataset.run = String(page.run);
  let scenario: ScenarioInput;
  try {
    scenario = scenarioOfState(page.base, page.state, page.assumptions, page.strategies);
    parseScenario(scenario);
  } catch (e) {
    page.scenario = undefined;
    failRun(page, labelled(page, (e as Error).message));
    return;
  }
  page.scenario = scenario;
  // The scenario's paths, its schema's default when it has none: what `carebudget run` runs.
  const total = parseScenario(scenario).paths;
  page.total = total;
  const first = Math.min(total, page.config.firstPaths);
  const n = page.workers.length;
  for (let i = 0, start = 0; i < n && start < first; i++) {
    const paths = Math.ceil((first - start) / (n - i));
    page.queue.push({ pathStart: start, paths });
    start += paths;
  }
  for (let start = first; start < total; start += page.config.chunk)
    page.queue.push({ pathStart: start, paths: Math.min(page.config.chunk, total - start) });
  page.startedAt = performance.now();
  document.body.dataset.state = 'running';
  document.body.dataset.run = String(page.run);
  status(page);
  dispatch(page);
}

function dispatch(page: Page): void {
  while (page.idle.length > 0 && page.queue.length > 0) {
    const w = page.idle.pop()!;
    const task = page.queue.shift()!;
    const request: RunRequest = { type: 'run', run: page.run, scenario: page.scenario!, total: page.total, ...task };
    w.postMessage(request);
  }
}

function onReply(page: Page, w: Worker, reply: WorkerReply): void {
  page.idle.push(w);
  if (reply.run !== page.run) {
    // A part of a run the analyst has moved on from: dropped, never drawn.
    dispatch(page);
    return;
  }
  if (page.failed === page.run) {
    dispatch(page);
    return;
  }
  if (reply.type === 'error') {
    failRun(page, reply.message);
    return;
  }
  page.parts.set(reply.pathStart, allocateResult(reply.meta as never, reply.buffer));
  dispatch(page);
  // The paths done from 0 without a gap.
  let done = 0;
  while (page.parts.has(done)) done += page.parts.get(done)!.pathCount;
  const first = Math.min(page.total, page.config.firstPaths);
  const now = performance.now();
  if (done < first || done <= page.shownPaths) return;
  if (done < page.total && now - page.lastDraw < 400) return;
  const parts: SimulationResult[] = [];
  for (let at = 0; at < done; at += page.parts.get(at)!.pathCount) parts.push(page.parts.get(at)!);
  page.result = parts.length === 1 ? parts[0]! : mergeResults(parts);
  page.shownPaths = done;
  page.lastDraw = now;
  requestDraw(page);
}

function status(page: Page): void {
  const w = words(page);
  const s = $('status');
  if (page.shownPaths === 0) s.textContent = w.running(num(page, page.total, 6));
  else if (page.shownPaths < page.total)
    s.textContent = w.refining(num(page, page.shownPaths, 6), num(page, page.total, 6));
  else s.textContent = w.done(num(page, page.total, 6), num(page, (performance.now() - page.startedAt) / 1000, 2));
  updateReportButton(page);
}

// -- Drawing -----------------------------------------------------------------------------------

/** The places of the charts. */
const CHARTS = ['chart-fan', 'chart-distribution', 'chart-who', 'chart-overspend', 'chart-difference', 'chart-metrics'];

async function chart(page: Page, target: HTMLElement, spec: ChartSpec): Promise<void> {
  const view = new View(parseVega(compile(spec as never).spec), { renderer: 'svg', container: target, hover: false });
  page.views.push(view);
  await view.runAsync();
}

/** The Monte Carlo error of the headline's probabilities and medians at the paths shown. */
function monteCarloError(page: Page, result: SimulationResult, year: number): string {
  const w = words(page);
  const rows = summarize(result, { figures: ['treasuryDeviationKr'], percentiles: [25, 75] }).filter(
    (r) => r.year === year,
  );
  let p = 0;
  let median = 0;
  for (const r of rows) {
    p = Math.max(p, 2 * (r.exceedMcse[0] ?? 0));
    // The median's standard error 1.2533·sd/√n, the sd from the quartiles (1.349 sd apart for a normal).
    const sd = (r.percentiles[75]! - r.percentiles[25]!) / 1.349;
    median = Math.max(median, (2 * 1.2533 * sd) / Math.sqrt(r.n));
  }
  return w.mcError(num(page, result.pathCount, 6), num(page, 100 * p, 2), num(page, median / 1e6, 2));
}

/**
 * Draws the newest result, one drawing at a time: a result that comes while a drawing is in
 * progress is drawn after it (charts drawn into the same places would otherwise interleave).
 */
function requestDraw(page: Page): void {
  if (page.drawing) {
    page.again = true;
    return;
  }
  page.drawing = true;
  draw(page)
    .catch((e: unknown) => showProblem(page, (e as Error).message))
    .finally(() => {
      page.drawing = false;
      if (page.again) {
        page.again = false;
        requestDraw(page);
      }
    });
}

async function draw(page: Page): Promise<void> {
  const result = page.result;
  if (result === undefined) return;
  const paths = page.shownPaths;
  const lang = page.state.locale ?? page.config.locale;
  const w = words(page);
  const year = page.state.year ?? result.years[result.years.length - 1]!;
  const ids = result.strategies.map((s) => s.id);
  const compare = page.state.compare?.every((c) => ids.includes(c)) === true ? page.state.compare : undefined;
  const [a, asked] = compare ?? [ids[0]!, ids[1] ?? ids[0]!];
  // A strategy against itself is no comparison: the pair drawn (and shown) is a against another.
  const b = asked === a ? (ids.find((x) => x !== a) ?? asked) : asked;
  for (const v of page.views.splice(0)) v.finalize();
  $('headline').innerHTML = headlineHtml(result, lang);
  $('mc-error').textContent = monteCarloError(page, result, year);
  status(page);
  const pairs = $('compare-pair');
  pairs.replaceChildren();
  for (const [which, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const select = el('select', { id: `compare-${which}`, 'aria-label': `${w.compare} ${which.toUpperCase()}` });
    for (const s of result.strategies)
      select.append(el('option', { value: s.id, text: strategyName(s, lang), selected: s.id === value }));
    select.addEventListener('change', () =>
      setState(
        page,
        (st) => ({
          ...st,
          compare: [($('compare-a') as HTMLSelectElement).value, ($('compare-b') as HTMLSelectElement).value] as const,
        }),
        false,
        false,
      ),
    );
    pairs.append(select, which === 'a' ? ' − ' : '');
  }
  const figures: [string, () => ChartSpec][] = [
    ['chart-fan', () => fanChart(result, { locale: lang, figure: 'treasuryDeviationKr', layout: 'panels' })],
    ['chart-distribution', () => distributionChart(result, { locale: lang, year, figure: 'treasuryDeviationKr' })],
    ['chart-who', () => whoBearsChart(result, { locale: lang })],
    ['chart-overspend', () => overspendChart(result, { locale: lang })],
    ['chart-difference', () => differenceChart(result, { locale: lang, a, b })],
    ['chart-metrics', () => metricsChart(result, { locale: lang })],
  ];
  for (const [id, make] of figures) {
    if (page.result !== result) return;
    const target = $(id);
    target.replaceChildren();
    let spec: ChartSpec;
    try {
      spec = make();
    } catch (e) {
      target.append(el('p', { class: 'note', text: (e as Error).message }));
      continue;
    }
    await chart(page, target, spec);
  }
  // The state says what this drawing shows: done only once the full count is drawn.
  if (page.result !== result) return;
  document.body.dataset.state = paths < page.total ? 'refining' : 'done';
  document.body.dataset.paths = String(paths);
}

// -- Downloads ---------------------------------------------------------------------------------

function download(name: string, text: string, type: string): void {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  // The file is the browser's once the click has started its download.
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

function downloads(page: Page): void {
  $('download-scenario').addEventListener('click', () => {
    if (page.scenario === undefined) return;
    download(`${page.base.name}-explored.yaml`, toYaml(page.scenario), 'application/yaml');
  });
  $('download-report').addEventListener('click', () => {
    if (page.result === undefined || page.shownPaths < page.total) return;
    const lang = page.state.locale ?? page.config.locale;
    renderReport(page.result, {
      locale: lang,
      scenario: page.scenario!,
      ...(page.state.year === undefined ? {} : { year: page.state.year }),
    })
      .then((html) => download(`${page.base.name}-report.html`, html, 'text/html'))
      .catch((e: unknown) => showProblem(page, (e as Error).message));
  });
}

if (inWorker) workerMain();
else {
  const boot = () => downloads(pageMain());
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
}
