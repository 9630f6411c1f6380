import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { compareScenarios, lejre2034, simulate, summarize, type ScenarioInput } from '../../src/index';
import { runCli } from '../../src/cli/run';

/**
 * The commands the docs show with what they print, run as shown: in this process through the
 * command line's `runCli`, with the files they write in a temporary folder, and what they print
 * compared with the doc's block line for line. The figures the text around them quotes are made
 * from the same run's files.
 */

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** A doc with its white space folded, for quoted sentences that the source breaks over lines. */
const prose = (file: string) => read(file).replace(/\s+/g, ' ');
const quotes = (file: string) => (text: string) => expect(prose(file), `${file} quotes "${text}"`).toContain(text);

/** The fenced blocks of a doc, in order: the language after the fence and the body. */
function fences(doc: string): { lang: string; body: string }[] {
  return [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** The words of a shell command as the shell splits them: quotes removed, lines joined at a backslash. */
function words(command: string): string[] {
  const text = command.replace(/\\\n/g, ' ');
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** A `$ carebudget ...` console block: the command (its continued lines joined) and what it prints. */
function consoleBlock(doc: string, start: string): { command: string; printed: string } {
  const block = fences(doc).find((f) => f.body.startsWith(`$ ${start}`));
  expect(block, `a console block starting "$ ${start}"`).toBeDefined();
  const lines = block!.body.split('\n');
  let n = 1;
  while (lines[n - 1]!.endsWith('\\')) n++;
  return { command: lines.slice(0, n).join('\n').slice(2), printed: lines.slice(n).join('\n') };
}

/** Options whose value is a file or folder the command writes: it goes to the temporary folder. */
const WRITES = new Set([
  '--out',
  '--report',
  '--json',
  '--csv',
  '--metrics-csv',
  '--arrow',
  '--parquet',
  '--diagnostics',
]);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs `carebudget ...` as the doc shows it, with `extra` options after it: the files it writes
 * go to a temporary folder, the files it reads are the repository's. Returns the exit code,
 * what it printed (standard output and error in order, with the folders' names taken out, so
 * `wrote x.html` reads as the doc's) and the written files' paths.
 */
async function runShown(
  command: string,
  extra: string[] = [],
): Promise<{ code: number; printed: string; file(name: string): string }> {
  const [program, ...args] = words(command);
  expect(program).toBe('carebudget');
  const dir = mkdtempSync(join(tmpdir(), 'carebudget-docs-'));
  dirs.push(dir);
  const argv = [...args, ...extra].map((w, i, all) =>
    WRITES.has(all[i - 1] ?? '') ? join(dir, w) : existsSync(join(ROOT, w)) ? join(ROOT, w) : w,
  );
  let printed = '';
  const code = await runCli(argv, { out: (t) => (printed += t), err: (t) => (printed += t) });
  printed = printed.replaceAll(`${dir}/`, '').replaceAll(`${ROOT}/`, '');
  return { code, printed, file: (name) => join(dir, name) };
}

const mkr = (x: number, digits = 1) => `${(x / 1e6).toFixed(digits)} m kr`;
const whole = (x: number) => `${Math.round(100 * x)} %`;

describe('docs/compare.md', () => {
  const doc = read('docs/compare.md');
  const quoted = quotes('docs/compare.md');

  it('the worked example prints what the doc shows, and the reading quotes its numbers', async () => {
    const blocks = fences(doc);
    const i = blocks.findIndex((b) => b.lang === 'sh' && b.body.startsWith('carebudget compare examples/'));
    expect(i).toBeGreaterThan(-1);
    // The doc's command, and --json for the figures the reading quotes at full precision.
    const run = await runShown(blocks[i]!.body, ['--json', 'compare.json']);
    expect(run.code).toBe(0);
    const printed = run.printed
      .split('\n')
      .filter((l) => l !== 'wrote compare.json')
      .join('\n');
    expect(blocks[i + 1]!.lang).toBe('text');
    expect(printed).toBe(blocks[i + 1]!.body);
    quoted('prints (2,000 paths each, seed 2034, on one thread: a few seconds)');

    const c = JSON.parse(readFileSync(run.file('compare.json'), 'utf8')) as ReturnType<typeof compareScenarios>;
    expect([c.paths, c.seed]).toEqual([2000, 2034]);
    const row = (strategy: string, year: number) =>
      c.rows.find((r) => r.strategy === strategy && r.year === year && r.figure === 'treasuryDeviationKr')!;
    for (const year of [2024, 2025])
      for (const strategy of ['frame', 'activity'])
        expect([row(strategy, year).min, row(strategy, year).max]).toEqual([0, 0]);
    const f = row('frame', 2034);
    quoted(
      `the overrun of the adopted budget is ${mkr(-f.p50)} lower in 2034 (median; 90 % of the paths between ${mkr(-f.p95).replace(' m kr', '')} and ${mkr(-f.p5)} lower), lower on every path`,
    );
    expect(f.pVariantLower).toBe(1);
    quoted(
      `2024 and 2025 identical on every path, ${(100 * f.varianceReduction).toFixed(1)} % of the variance removed`,
    );
    quoted(
      `the paired difference spreads with an sd of ${mkr(f.sd, 2)} in 2034, where two independent runs would give ${mkr(f.independentSd)}`,
    );
    const times = (Math.round((f.independentSd / f.sd) ** 2 / 10) * 10).toLocaleString('en-US');
    quoted(`The variance is ${times} times smaller, so the mean difference is known to ±${mkr(1.96 * f.mcse, 2)}`);
    quoted(`about ${times} times as many paths`);
    // The report's headline in Danish, as the page gives it (its no-break spaces as spaces).
    const html = readFileSync(run.file('compare.html'), 'utf8');
    const headline = /Under rammestyring [^<]*/.exec(html)![0].replace(/\s+/g, ' ');
    quoted(`("${headline}")`);
  });

  it('the shares of the variance pairing removes, measured on lejre-2034 with 100 paths', () => {
    const base = lejre2034();
    const careHomes = base.careHomes!;
    const removed = (variant: ScenarioInput) =>
      compareScenarios(base, variant, { paths: 100, strategies: ['frame'], figures: ['actualCostKr'] }).rows;
    const in2034 = (rows: ReturnType<typeof removed>) => rows.find((r) => r.year === 2034)!.varianceReduction;
    const share = (x: number, digits: number) => `${(100 * x).toFixed(digits)} %`;

    const external = removed({ ...base, careHomes: { ...careHomes, externalKrPerDay: 2500 } });
    quoted(`1,900: ${share(in2034(external), 0)} of the variance of the difference in actual cost removed in 2034`);

    const places = removed({
      ...base,
      careHomes: {
        ...careHomes,
        homes: careHomes.homes.map((h, i) =>
          i === 0 ? { ...h, capacityChanges: [{ from: '2027-01-01', places: h.places + 20 }] } : h,
        ),
      },
    });
    for (const r of places.filter((x) => x.year <= 2026)) expect([r.min, r.max]).toEqual([0, 0]);
    expect(places.find((r) => r.year === 2027)!.sd).toBeGreaterThan(0);
    quoted(
      `20 more places in one home from 2027: the paths are identical to 2026, and ${share(in2034(places), 2)} of the variance is removed in 2034`,
    );

    const guarantee = removed({ ...base, careHomes: { ...careHomes, guaranteeDays: 30 } });
    quoted(`a guarantee of 30 days instead of 60: ${share(in2034(guarantee), 2)}`);

    const undelivered = removed({ ...base, homeCare: { ...base.homeCare!, undeliveredShare: 0.05 } });
    quoted(`the undelivered share fixed at 5 %: ${share(in2034(undelivered), 0)}`);
    quoted('measured on `lejre-2034` with 100 paths');
  });
});

describe('docs/cli.md', () => {
  const doc = read('docs/cli.md');
  const quoted = quotes('docs/cli.md');

  it('the backtest of the constructed history prints what the doc shows', async () => {
    const { command, printed } = consoleBlock(doc, 'carebudget backtest');
    const run = await runShown(command);
    expect(run.code).toBe(0);
    expect(run.printed).toBe(printed);
  });

  it('fit-dist on the constructed case costs prints what the doc shows', async () => {
    const { command, printed } = consoleBlock(doc, 'carebudget fit-dist');
    const run = await runShown(command);
    expect(run.code).toBe(0);
    expect(run.printed).toBe(printed);
  });

  it('the sizes of the result files of lejre-2034 at 2,000 paths', async () => {
    const wide = await runShown(
      'carebudget run --preset lejre-2034 --quiet --json result.json --arrow paths.arrow --parquet paths.parquet',
    );
    const long = await runShown(
      'carebudget run --preset lejre-2034 --quiet --json-form plain --json result.json --data-form long --arrow paths.arrow --parquet paths.parquet',
    );
    expect([wide.code, long.code]).toEqual([0, 0]);
    const mb = (file: string) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;
    quoted(`(2,000 paths, two strategies, two services) the file is ${mb(wide.file('result.json'))}`);
    quoted(`(\`jq '.figures.actualCostKr[0]'\`): ${mb(long.file('result.json'))} for the same run`);
    const rows = tableFromIPC(readFileSync(wide.file('paths.arrow'))).numRows.toLocaleString('en-US');
    quoted(
      `For \`lejre-2034\` at 2,000 paths (${rows} rows wide): Parquet ${mb(wide.file('paths.parquet'))} wide and ${mb(long.file('paths.parquet'))} long, Arrow ${mb(wide.file('paths.arrow'))} wide and ${mb(long.file('paths.arrow'))} long.`,
    );
  });
});

describe('docs/ishoej.md', () => {
  it('prints what the doc shows for `npx tsx examples/ishoej.ts 4000`', () => {
    const doc = read('docs/ishoej.md');
    expect(doc).toContain('Output of `npx tsx examples/ishoej.ts 4000`');
    const shown = fences(doc).find((f) => f.body.startsWith('Ishøj-like home care'))!;
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, [join(ROOT, 'examples', 'ishoej.ts'), '4000'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(shown.body);
  });
});

describe('the report picture (docs/img/report.png) and the runs the text names', () => {
  const three = [{ kind: 'frame' }, { kind: 'hybrid' }, { kind: 'activity' }] as const;
  /** Frame steering's P(overspend) in 2024 and its median overrun in 2034, as the report's answer gives them. */
  const answer = (input: ScenarioInput) => {
    const rows = summarize(simulate(input), { figures: ['treasuryDeviationKr'], percentiles: [50], thresholds: [0] });
    const at = (year: number) => rows.find((r) => r.strategy === 'frame' && r.year === year)!;
    return { p2024: whole(at(2024).exceed[0]!), median2034: mkr(at(2034).percentiles[50]!) };
  };

  it('the picture is of lejre-2034 at 300 paths under frame, hybrid and activity steering', () => {
    // The browser test that draws the picture (UPDATE_DOCS_IMAGES=1) runs this scenario.
    expect(read('test/html/reportPages.browser.test.ts')).toContain(
      "simulate({ ...lejre2034(), paths: 300, strategies: [{ kind: 'frame' }, { kind: 'hybrid' }, { kind: 'activity' }] })",
    );
    const { p2024, median2034 } = answer({ ...lejre2034(), paths: 300, strategies: [...three] });
    quotes('README.md')(
      `paths (seed 2034) under frame, hybrid and activity steering, in which frame steering overspends in 2024 with probability ${p2024} and has a median overrun of ${median2034} in 2034.`,
    );
    quotes('docs/getting-started.md')(
      `In the picture frame steering overspends in 2024 with probability ${p2024} and has a median overrun of ${median2034} in 2034`,
    );
    for (const file of ['README.md', 'docs/getting-started.md', 'docs/results.md'])
      quotes(file)('lejre-2034 at 300 paths under frame, hybrid and activity steering');
  });

  it("the README's command: 10,000 paths under frame, hybrid and activity steering", () => {
    expect(prose('README.md')).toContain('run my-scenario.yaml --paths 10000 --strategies frame,hybrid,activity');
    const { p2024, median2034 } = answer({ ...lejre2034(), paths: 10_000, strategies: [...three] });
    quotes('README.md')(`The command's 10,000 paths give ${p2024} and ${median2034}.`);
  });

  it("getting-started's run: lejre2034() as it is, 2,000 paths under frame and activity", () => {
    expect(lejre2034().paths).toBe(2000);
    expect(lejre2034().strategies!.map((s) => s.kind)).toEqual(['frame', 'activity']);
    const { p2024, median2034 } = answer(lejre2034());
    quotes('docs/getting-started.md')(
      `the run above (2,000 paths, frame and activity) gives ${p2024} and ${median2034}`,
    );
  });
});
