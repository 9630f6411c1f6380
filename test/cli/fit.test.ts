import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../src/cli/run';
import { fitHomeCare } from '../../src/fit/homeCare';
import { lejre2034 } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/parse';
import { historyFromStatbank } from '../../src/scenario/statbank';
import { simulate } from '../../src/simulation/simulate';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const DATA = join(__dirname, '..', '..', 'examples', 'data');
const POPULATION = join(DATA, 'lejre-folk1am.json');
const RECIPIENTS = join(DATA, 'lejre-aed06.csv');
const HOURS = join(DATA, 'lejre-aed022.json');
const TYPE = 'Personlig og/eller praktisk hjælp';
const FIXED = `YDELSESTYPE=${TYPE}`;
const dir = mkdtempSync(join(tmpdir(), 'carebudget-fit-'));

/** The fixture's tables with the given options, and more. */
const tables = (...more: string[]) => [
  'fit',
  '--population',
  POPULATION,
  '--recipients',
  RECIPIENTS,
  '--municipality',
  'Lejre',
  '--groups',
  '67-79,80+',
  '--fixed',
  FIXED,
  ...more,
];

/** The library's fit of the same tables. */
function libraryFit(hours: boolean) {
  const read = (f: string) => readFileSync(f, 'utf8');
  const history = historyFromStatbank(
    {
      population: read(POPULATION),
      recipients: read(RECIPIENTS),
      ...(hours ? { hours: read(HOURS) } : {}),
    },
    { municipality: 'Lejre', groups: '67-79,80+', fixed: { YDELSESTYPE: TYPE } },
  );
  return fitHomeCare(history);
}

describe('carebudget fit', () => {
  it('fits the fixture, prints the summary and writes a commented YAML scenario that validates and runs', async () => {
    const out = join(dir, 'fitted.yaml');
    const r = await cli(...tables('--hours', HOURS, '--out', out));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fit = libraryFit(true);
    const h = fit.homeCare;
    expect(r.out).toContain('Home care fitted to Lejre, groups 67-79, 80+, 2010-2023 (14 years, 28 observations)');
    expect(r.out).toMatch(new RegExp(`\\n80\\+ +${(h.useRates['80+']! * 100).toFixed(2)} %`));
    expect(r.out).toMatch(new RegExp(`\\n67-79 +${(h.useRates['67-79']! * 100).toFixed(2)} %`));
    const t = h.useRateTrendPerYear;
    const z = 1.6448536269514722;
    expect(r.out).toContain(
      `use-rate trend a year (all groups): ${(t.mean * 100).toFixed(2)} % (standard error ${(t.sd * 100).toFixed(2)} %; 90 % interval ${((t.mean - z * t.sd) * 100).toFixed(2)} % to ${((t.mean + z * t.sd) * 100).toFixed(2)} %)`,
    );
    expect(r.out).toContain(`year-to-year noise σ: ${Number(h.useRateNoiseSdPerYear.toPrecision(4))} (standard error `);
    expect(r.out).toContain(`overdispersion ratio ${Number(fit.diagnostics.overdispersionRatio.toPrecision(4))}`);
    expect(r.out).toContain(`hours per recipient a week: ${Number(h.hoursPerRecipientPerWeek!.median.toPrecision(4))}`);
    expect(r.out).toContain(`R² within groups: ${Number(fit.diagnostics.rSquared.toPrecision(4))}`);
    expect(r.out).toContain(`Wrote ${out}\n`);

    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# carebudget scenario with home care fitted to 2010-2023 (base year 2023),')).toBe(true);
    // The comments name the files the values came from.
    expect(text).toContain(`# Fitted to ${POPULATION.slice(0, 40)}`);
    const parsed = parseYaml(text);
    expect(parsed.homeCare.useRates).toEqual(h.useRates);
    expect(parsed.homeCare.useRateTrendPerYear).toEqual(h.useRateTrendPerYear);
    expect(parsed.homeCare.hoursTrendPerYear).toEqual(h.hoursTrendPerYear);
    const scenario = parseScenario(parsed);
    expect(scenario.homeCare?.useRateNoiseSdPerYear).toBe(h.useRateNoiseSdPerYear);
    const result = simulate({ ...parsed, paths: 20 });
    expect(result.pathCount).toBe(20);
    expect(result.years).toEqual(Array.from({ length: 10 }, (_v, k) => 2024 + k));
    expect(result.figures.actualCostKr.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('writes a scenario that `carebudget run` runs', async () => {
    const out = join(dir, 'for-run.yaml');
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const fit = await cli(...tables('--out', out));
    expect(fit.code).toBe(0);
    const run = spawnSync(process.execPath, ['--import', 'tsx', main, 'run', out, '--paths', '50'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\n2033 /);
  }, 30_000);

  it('--format json writes the scenario as JSON, and --diagnostics the diagnostics and provenance', async () => {
    const out = join(dir, 'fitted.json');
    const diagnostics = join(dir, 'diagnostics.json');
    const r = await cli(...tables('--hours', HOURS, '--format', 'json', '--out', out, '--diagnostics', diagnostics));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fit = libraryFit(true);
    const scenario = JSON.parse(readFileSync(out, 'utf8'));
    expect(scenario.homeCare.useRates).toEqual(fit.homeCare.useRates);
    expect(scenario.population).toEqual(fit.scenario.population);
    parseScenario(scenario);
    const d = JSON.parse(readFileSync(diagnostics, 'utf8'));
    expect(d.format).toBe('carebudget-home-care-fit');
    expect(d.tables).toEqual({ population: POPULATION, recipients: RECIPIENTS, hours: HOURS });
    expect(d.fixed).toEqual({ YDELSESTYPE: TYPE });
    expect(d.homeCare).toEqual(fit.homeCare);
    expect(d.diagnostics.years).toEqual(fit.diagnostics.years);
    expect(d.diagnostics.overdispersionRatio).toBe(fit.diagnostics.overdispersionRatio);
    expect(d.diagnostics.residuals).toEqual(fit.diagnostics.residuals);
    expect(d.provenance.map((p: { field: string }) => p.field)).toEqual(fit.provenance.map((p) => p.field));
    expect(d.provenance[0].tables).toEqual([POPULATION, RECIPIENTS]);
  });

  it('without --hours fits no hours; --from and --to choose the years; the base scenario from --preset', async () => {
    const out = join(dir, 'short.yaml');
    const r = await cli(...tables('--from', '2015', '--to', '2022', '--preset', 'lejre-2034', '--out', out));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2015-2022 (8 years, 16 observations)');
    expect(r.out).toContain('hours per recipient: not fitted (no --hours table)');
    const parsed = parseYaml(readFileSync(out, 'utf8'));
    // The preset's own hours are kept; the use rates are the fit's.
    expect(parsed.homeCare.hoursTrendPerYear).toEqual(lejre2034().homeCare?.hoursTrendPerYear);
    expect(parsed.name).toBe(lejre2034().name);
    parseScenario(parsed);
  });

  it('a municipality not in the tables, years outside them and more recipients than citizens: exit 1, nothing written', async () => {
    const out = join(dir, 'bad.yaml');
    const diagnostics = join(dir, 'bad.json');
    const roskilde = await cli(
      ...tables('--out', out, '--diagnostics', diagnostics).map((a) => (a === 'Lejre' ? 'Roskilde' : a)),
    );
    expect(roskilde.code).toBe(1);
    expect(roskilde.err).toBe(`carebudget: ${POPULATION}: municipality "Roskilde" is not in the table; it has Lejre\n`);
    expect(roskilde.out).toBe('');
    // Without --fixed the type of benefit has three values: the hint names the command line's option.
    const unfixed = await cli(
      ...tables('--out', out).filter((a, i, all) => a !== '--fixed' && all[i - 1] !== '--fixed'),
    );
    expect(unfixed.code).toBe(1);
    expect(unfixed.err).toMatch(/expected one: fix it with --fixed YDELSESTYPE='<code or label>', or select/);
    const years = await cli(...tables('--from', '2005', '--to', '2012', '--out', out, '--diagnostics', diagnostics));
    expect(years.code).toBe(1);
    expect(years.err).toBe(
      `carebudget: ${POPULATION}: Lejre has no figures for the years 2005, 2006, 2007, 2008, 2009 (it covers 2010-2023)\n`,
    );
    // The 80+ recipients of 2016 multiplied a hundredfold: more than the citizens.
    const lines = readFileSync(RECIPIENTS, 'utf8').split(/\r?\n/);
    let changed = 0;
    const bad = lines.map((l) => {
      const m =
        /^(Lejre;Personlig og\/eller praktisk hjælp;(?:80-84|85-89|90 år og derover)[^;]*;[^;]*;2016;)(\d+)$/.exec(l);
      if (m === null) return l;
      changed++;
      return `${m[1]}${Number(m[2]) * 100}`;
    });
    expect(changed).toBeGreaterThan(0);
    const badCsv = join(dir, 'bad-aed06.csv');
    writeFileSync(badCsv, bad.join('\r\n'));
    const args = tables('--out', out, '--diagnostics', diagnostics).map((a) => (a === RECIPIENTS ? badCsv : a));
    const more = await cli(...args);
    expect(more.code).toBe(1);
    expect(more.err).toMatch(
      /^carebudget: .*lejre-folk1am\.json, .*bad-aed06\.csv: Lejre, group "80\+", 2016: [\d,]+ recipients of home care but [\d,]+ citizens; expected recipients ≤ population/,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(diagnostics)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.'))).toEqual([]);
  });

  it('usage errors exit 2: missing options, a bad --fixed, --scenario with --preset, a bad --format', async () => {
    const noOut = await cli(...tables());
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('fit needs --out FILE');
    const noGroups = await cli(
      'fit',
      '--population',
      POPULATION,
      '--recipients',
      RECIPIENTS,
      '--municipality',
      'Lejre',
    );
    expect(noGroups.code).toBe(2);
    expect(noGroups.err).toContain('fit needs --groups');
    const fixed = await cli(...tables('--fixed', 'YDELSESTYPE', '--out', join(dir, 'x.yaml')));
    expect(fixed.code).toBe(2);
    expect(fixed.err).toContain('--fixed expects DIMENSION=VALUE');
    const twice = await cli(...tables('--fixed', 'ydelsestype=Praktisk hjælp', '--out', join(dir, 'x.yaml')));
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('--fixed names the dimension "ydelsestype" twice');
    const both = await cli(...tables('--scenario', 'a.yaml', '--preset', 'lejre-2034', '--out', join(dir, 'x.yaml')));
    expect(both.code).toBe(2);
    const format = await cli(...tables('--format', 'xml', '--out', join(dir, 'x.yaml')));
    expect(format.code).toBe(2);
    expect(format.err).toBe('carebudget: --format must be yaml or json; received "xml"\n');
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
  });
});
