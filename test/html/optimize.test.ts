import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lejre2034, optimizeSteering, OptionError, type SteeringOptimization } from '../../src/index';
import { renderOptimizationReport } from '../../src/html/index';
import { candidateName } from '../../src/charts/optimize';

/** Real results of optimizeSteering on Lejre: the provider's P95 in 2030 limited to 10 % (kept) and 5 % (kept by none). */
const load = (name: string): SteeringOptimization =>
  JSON.parse(readFileSync(new URL(`../fixtures/optimize/lejre-${name}.json`, import.meta.url), 'utf8'));
const feasible = load('feasible');
const infeasible = load('infeasible');
const when = new Date('2026-12-06T12:00:00Z');

/** The page's words as a reader sees them: tags, styles and the scenario file's text gone, the charts' text kept. */
function text(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<pre[\s\S]*?<\/pre>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** The headline paragraph, as text. */
function headline(html: string): string {
  const m = /<p class="headline">([\s\S]*?)<\/p>/.exec(html);
  expect(m).not.toBeNull();
  return text(m![1]!);
}

const nameOf = (r: SteeringOptimization, id: string, locale: 'en' | 'da') =>
  candidateName(
    r.candidates.find((c) => c.id === id)!,
    locale,
  );
/** A share as the English page writes it to one decimal: 0.0997 → "10.0%". */
const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;
const pct0 = (x: number) => `${Math.round(x * 100)}%`;

/** English words that must not stand on the Danish page. */
const ENGLISH = [
  /\bthe\b/i,
  /\bof\b/,
  /\band\b/,
  /\bis\b/,
  /\bbest\b/i,
  /\bdesigns?\b/i,
  /\bmean\b/i,
  /\btreasury/i,
  /\bprovider/i,
  /\bshare\b/i,
  /\blimits?\b/i,
  /\bprobability\b/i,
  /\brunner-up\b/i,
  /\bresamples?\b/i,
  /\bdefault\b/i,
  /\bpaths?\b/i,
  /\bkeeps?\b/i,
  /\bcorridor\b/i,
  /\bregulates?\b/i,
  /\bFrame\b/,
  /\bActivity\b/,
  /\bMade\b/,
  /\bSeed\b/,
  /\byes\b/,
];

describe('renderOptimizationReport', () => {
  it('opens with a headline that names the best design and its numbers, as the result gives them', async () => {
    const html = await renderOptimizationReport(feasible, { generatedAt: when });
    const h = headline(html);
    const best = feasible.verified[0]!;
    expect(best.id).toBe(feasible.best);
    expect(h.startsWith(`The best design is ${nameOf(feasible, feasible.best, 'en')}:`)).toBe(true);
    const mkr = (x: number) => (x / 1e6).toFixed(1);
    expect(h).toContain(
      `the mean of the treasury’s share in 2030 is ${mkr(best.objective.value)} m kr (90% interval ${mkr(best.objective.low)} to ${mkr(best.objective.high)} m kr)`,
    );
    const k = best.constraints[0]!;
    expect(k.met).toBe(true);
    expect(h).toContain(
      `the P95 of the provider’s share in 2030 is ${pct1(k.estimate.value)} and keeps the limit of at most 10% in ${pct0(k.probabilityMet)} of resamples`,
    );
    // The runner-up is better on the objective but misses the limit: said so, with its own probability.
    const runnerUp = feasible.verified[1]!;
    expect(runnerUp.objective.value).toBeLessThan(best.objective.value);
    expect(h).toContain(
      `the runner-up, ${nameOf(feasible, runnerUp.id, 'en')}, ranks lower because it keeps the limits less well, although on the objective alone it is better with probability ${pct0(1 - runnerUp.probabilityBestIsBetter!)}`,
    );
    expect(text(html)).not.toContain('No design kept every limit');
  });

  it('says when no design kept a limit, naming the constraint and the closest design', async () => {
    const html = await renderOptimizationReport(infeasible, { generatedAt: when });
    expect(infeasible.feasible).toBe(false);
    const x = infeasible.infeasible[0]!;
    const page = text(html);
    expect(page).toContain('No design kept every limit.');
    expect(page).toContain(
      `The P95 of the provider’s share in 2030 must be at most 5%: no design tried kept this limit; the closest is ${nameOf(infeasible, x.closest, 'en')}, at ${pct1(x.value)}.`,
    );
    const h = headline(html);
    expect(h.startsWith(`The design that comes closest is ${nameOf(infeasible, infeasible.best, 'en')}:`)).toBe(true);
    expect(h).toContain('misses the limit of at most 5% (kept in 0% of resamples)');
    const runnerUp = infeasible.verified[1]!;
    expect(runnerUp.probabilityBestIsBetter).toBeGreaterThan(0.99);
    expect(h).toContain(
      `it is better than the runner-up, ${nameOf(infeasible, runnerUp.id, 'en')}, with probability > 99%`,
    );
  });

  it('draws the frontier chart and tables of the verified, the frontier and every candidate', async () => {
    const html = await renderOptimizationReport(feasible, { generatedAt: when });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<figure class="chart" id="chart-frontier"><svg/);
    const rows = (cls: string) => {
      const table = new RegExp(`<table class="summary ${cls}">([\\s\\S]*?)</table>`).exec(html)![1]!;
      return (table.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g) ?? []).length;
    };
    expect(rows('verified')).toBe(feasible.verified.length);
    expect(rows('frontier')).toBe(feasible.frontier!.ids.length);
    expect(rows('candidates')).toBe(feasible.candidates.length);
    // The defaults of kinds not searched are there for reference, and the caption says so.
    expect(text(html)).toContain(
      'Frame (default) and Activity steering (default): shown for reference only, as the search tried no other design of their kinds; never chosen as the best.',
    );
    // Ids stand in the rows' titles; the best's spec as a scenario file writes it.
    for (const c of feasible.candidates) expect(html).toContain(`title="${c.id}"`);
    expect(html).toContain('&quot;marginalRate&quot;: 0.875');
    // Nothing outside the page is fetched.
    expect(html).not.toMatch(/<(script|link|img)\b|src="http|href="http/);
  });

  it('is fully Danish in Danish', async () => {
    for (const result of [feasible, infeasible]) {
      const html = await renderOptimizationReport(result, { locale: 'da', generatedAt: when });
      expect(html).toContain('<html lang="da">');
      const page = text(html);
      for (const word of ENGLISH) expect(page).not.toMatch(word);
      const h = headline(html);
      expect(h).toMatch(/^(Den bedste styringsmodel er|Den styringsmodel, der kommer nærmest, er) /);
      const best = result.verified[0]!;
      const mkr = (x: number) => (x / 1e6).toFixed(1).replace('.', ',');
      expect(h).toContain(
        `gennemsnittet af kassens andel i 2030 er ${mkr(best.objective.value)} mio. kr. (90 %-interval ${mkr(best.objective.low)} til ${mkr(best.objective.high)} mio. kr.)`,
      );
      expect(h).toContain('genudtrækningerne');
      expect(page).toContain('Afvejning: kassens andel over for udførerens andel');
    }
    expect(text(await renderOptimizationReport(infeasible, { locale: 'da', generatedAt: when }))).toContain(
      'Ingen styringsmodel overholdt alle grænser.',
    );
  });

  it('refuses an unknown locale and an invalid date', async () => {
    await expect(renderOptimizationReport(feasible, { locale: 'fr' as 'da' })).rejects.toThrow(OptionError);
    await expect(renderOptimizationReport(feasible, { generatedAt: new Date(Number.NaN) })).rejects.toThrow(
      /generatedAt must be a valid Date/,
    );
  });

  it('renders a small real result in both languages', async () => {
    const r = await optimizeSteering(lejre2034(), {
      candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
      objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
      constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.08 }],
      paths: 60,
      evaluations: 10,
      verify: { paths: 100 },
    });
    const en = await renderOptimizationReport(r, { generatedAt: when });
    expect(headline(en)).toContain(nameOf(r, r.best, 'en'));
    const da = text(await renderOptimizationReport(r, { locale: 'da', generatedAt: when }));
    for (const word of ENGLISH) expect(da).not.toMatch(word);
  }, 60_000);
});
