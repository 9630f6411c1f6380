/**
 * The explorer page: one self-contained HTML file (the engine, Vega-Lite and the page's script
 * inside it) in which an analyst moves the steering and the scenario's most influential
 * assumptions and sees the distributions answer. Built in Node; it runs offline from disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../../scenario/parse';
import type { ScenarioInput } from '../../scenario/schema';
import { influentialInputs, type InfluentialInput } from '../../explore/inputs';
import { assumptionControls, controlLimits, explorerStrategies, type ExplorerSpec } from '../../explore/state';
import { simulate } from '../../simulation/simulate';
import { checkLocale, type ChartLocale } from '../../charts/locale';
import { OptionError } from '../../errors';
import { VERSION } from '../../version';
import { STYLE, escapeHtml } from '../render';
import type { ExplorerConfig } from './protocol';
import { TEXT } from './words';

/** Options of {@link renderExplorer}. @category Explorer */
export interface ExplorerOptions {
  /** The page's language when it opens (default `"en"`; the page can switch). */
  readonly locale?: ChartLocale;
  /** How many influential inputs the page offers (default 5; all the scenario has when fewer). */
  readonly inputs?: number;
  /** The Sobol' base sample N of the ranking of the inputs (default 100; see {@link influentialInputs}). */
  readonly sobolN?: number;
  /** Paths of the first answer before the refinement (default 300). */
  readonly firstPaths?: number;
  /** Paths a Web Worker runs at a time while refining (default 250). */
  readonly chunk?: number;
  /** The inputs to offer, when already ranked (skips the Sobol' analysis). */
  readonly influential?: readonly InfluentialInput[];
  /** The page's script, when not the package's (for tests). @internal */
  readonly clientCode?: string;
}

/** The places the built page script may be, from the module that reads it (the report entry or the command line). */
const BUILT = ['../explore/client.global.js', './explore/client.global.js'];

let cachedClient: string | undefined;

/**
 * The page's script: the package's built bundle, or (running from the sources, in the project's
 * tests) bundled now with esbuild, a development dependency.
 */
async function clientCode(): Promise<string> {
  if (cachedClient !== undefined) return cachedClient;
  for (const rel of BUILT) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return (cachedClient = readFileSync(file, 'utf8'));
  }
  const entry = fileURLToPath(new URL('./client.ts', import.meta.url));
  if (!existsSync(entry))
    throw new OptionError('renderExplorer: the page script explore/client.global.js is missing from the package', {
      option: 'clientCode',
    });
  const esbuild = await import('esbuild');
  const built = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return (cachedClient = built.outputFiles[0]!.text);
}

/** Text safe inside a `<script>` element: no `</script`, no `<!--`. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const PAGE_STYLE = `
header { padding: 18px 28px 0; }
.layout { display: grid; grid-template-columns: minmax(300px, 380px) minmax(0, 1fr); gap: 24px; padding: 0 28px 40px; }
aside { border-right: 1px solid var(--line); padding-right: 18px; }
aside h2 { font-size: 17px; margin: 18px 0 6px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 6px 10px 8px; }
legend { font-weight: 600; padding: 0 4px; }
.control { display: grid; grid-template-columns: 1fr; gap: 2px; margin: 6px 0; font-size: 13.5px; }
.control input[type=range] { width: 100%; }
.control output { color: var(--muted); font-variant-numeric: tabular-nums; }
.none { font-size: 12.5px; color: var(--muted); }
fieldset.strategy.off .control { opacity: 0.55; }
main { max-width: none; min-width: 0; margin: 0; padding: 8px 0 0; }
#headline { overflow-x: auto; }
#headline table.headline td { white-space: normal; }
#status { font-size: 14px; color: var(--muted); min-height: 1.5em; }
#problem { color: #a4000f; background: #fff0f0; border: 1px solid #f1b5b5; padding: 6px 10px; border-radius: 4px; }
.actions { display: flex; gap: 10px; margin: 8px 0 14px; flex-wrap: wrap; }
button { font: inherit; padding: 4px 12px; border: 1px solid #8a8a99; border-radius: 4px; background: #fff; cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #0b61a4; outline-offset: 1px; }
[role=tablist] { display: flex; gap: 4px; border-bottom: 1px solid var(--line); margin-bottom: 10px; }
[role=tab] { border-radius: 4px 4px 0 0; border-bottom: none; }
[role=tab][aria-selected=true] { background: var(--band); font-weight: 600; }
figure { margin: 12px 0 20px; overflow-x: auto; }
button:disabled { color: #8a8a99; cursor: not-allowed; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } aside { border-right: none; } }
`;

/**
 * The explorer page of a scenario, as a string: a single self-contained HTML file that works
 * offline from disk (no network; the engine, Vega-Lite and the page's script are inside it).
 * The scenario's most influential uncertain inputs are found once here, by a Sobol' analysis
 * ({@link influentialInputs}), which takes a second or two.
 *
 * In the page the analyst moves the strategies' settings, which strategies are shown, those
 * inputs' central values and spreads, each population group's forecast error, the paths, the
 * seed and the year; every change re-runs the model in Web Workers on the same random numbers,
 * first from a few hundred paths, then refined to the full count, and a new change cancels the
 * run in flight. The state is kept in the page's address; the changed scenario and the report
 * of the current state can be downloaded.
 *
 * @param scenario - the scenario (validated here)
 * @param options - language, inputs offered, the refinement's steps
 * @returns the page's HTML
 * @throws `ScenarioError` for an invalid scenario; `OptionError` for bad options
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { lejre2034 } from 'carebudget';
 * import { renderExplorer } from 'carebudget/report';
 * writeFileSync('explorer.html', await renderExplorer(lejre2034()));
 * ```
 * @category Explorer
 */
export async function renderExplorer(scenario: unknown, options: ExplorerOptions = {}): Promise<string> {
  const locale = checkLocale(options.locale, 'renderExplorer');
  const count = (name: string, value: number | undefined, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (!(Number.isInteger(value) && value >= min && value <= max))
      throw new OptionError(
        `renderExplorer: ${name} must be a whole number from ${min} to ${max}; received ${String(value)}`,
        {
          option: name,
          received: value,
        },
      );
    return value;
  };
  const inputs = count('inputs', options.inputs, 5, 1, 50);
  const sobolN = count('sobolN', options.sobolN, 100, 16, 100_000);
  const firstPaths = count('firstPaths', options.firstPaths, 300, 10, 100_000);
  const chunk = count('chunk', options.chunk, 250, 10, 100_000);
  const parsed = parseScenario(scenario);
  const input = scenario as ScenarioInput;
  const influential = options.influential ?? influentialInputs(input, { count: inputs, n: sobolN });
  // The built-in kinds the scenario lacks, offered only where they run on it (a demographic frame
  // needs costs by age group, which a specialised area has not).
  const offered = explorerStrategies(parsed.strategies as unknown as ExplorerSpec[])
    .filter((s) => !s.shownByDefault)
    .filter((s) => {
      try {
        simulate({ ...input, strategies: [s.spec] }, { paths: 1 });
        return true;
      } catch {
        return false;
      }
    })
    .map((s) => s.spec.kind);
  const config: ExplorerConfig = {
    scenario: input,
    inputs: influential,
    limits: controlLimits(input, assumptionControls(input, influential)),
    offered,
    locale,
    version: VERSION,
    firstPaths,
    chunk,
  };
  const code = options.clientCode ?? (await clientCode());
  const t = TEXT[locale];
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="carebudget ${escapeHtml(VERSION)}">
<title>${escapeHtml(`${t.title}: ${input.name}`)}</title>
<style>${STYLE}${PAGE_STYLE}</style>
</head>
<body data-state="loading">
<header><h1 id="title">${escapeHtml(`${t.title}: ${input.name}`)}</h1><p id="intro" class="question"></p></header>
<div class="layout">
<aside id="controls" aria-label="${escapeHtml(t.controls)}"></aside>
<main>
<p id="status" role="status" aria-live="polite"></p>
<p id="problem" role="alert" hidden></p>
<div class="actions"><button type="button" id="download-scenario"></button><button type="button" id="download-report"></button></div>
<div id="tabs" role="tablist"></div>
<section id="panel-budget" role="tabpanel" aria-labelledby="tab-budget">
<div id="headline"></div>
<p id="mc-error" class="note"></p>
<figure id="chart-fan" class="chart"></figure>
<figure id="chart-distribution" class="chart"></figure>
<figure id="chart-who" class="chart"></figure>
<figure id="chart-overspend" class="chart"></figure>
<h2><span id="compare-label"></span> <span id="compare-pair"></span></h2>
<figure id="chart-difference" class="chart"></figure>
</section>
<section id="panel-services" role="tabpanel" aria-labelledby="tab-services" hidden>
<figure id="chart-metrics" class="chart"></figure>
</section>
</main>
</div>
<script id="cb-config" type="application/json">${json}</script>
<script>${scriptSafe(code)}</script>
</body>
</html>
`;
}
