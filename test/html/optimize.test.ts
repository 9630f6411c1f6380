import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lejre2034, optimizeSteering, OptionError, type SteeringOptimization } from '../../src/index';
import { renderOptimizationReport } from '../../src/html/index';
import { candidateName } from '../../src/charts/optimize';
import { paretoFront } from '../../src/optimize/optimize';

/**
 * Real results of optimizeSteering on Lejre, hybrids searched: the provider's P95 in 2030 limited
 * to 10 % (kept by some hybrids) and 5 % (kept by no hybrid). In both, activity steering at its
 * defaults, a reference design, keeps the limit and has the smaller treasury's share.
 */
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
/** A regular expression's source matching the text as it is. */
const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The result as a search of every kind it shows would give it: the built-in defaults of kinds not
 * searched left out, and the frontier drawn again over what is left.
 */
function withoutReferences(r: SteeringOptimization): SteeringOptimization {
  const searched = new Set(r.candidates.filter((c) => !c.isDefault).map((c) => c.kind));
  const candidates = r.candidates.filter((c) => !c.isDefault || searched.has(c.kind));
  const ids = paretoFront(candidates.map((c) => ({ id: c.id, x: c.frontier![0], y: c.frontier![1] })));
  return { ...r, candidates, frontier: { ...r.frontier!, ids } };
}

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
    // Of the kinds searched: activity steering at its defaults, shown for reference, did better.
    expect(h.startsWith(`The best design of the kinds searched is ${nameOf(feasible, feasible.best, 'en')}:`)).toBe(
      true,
    );
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

  it('says when a reference design kept every limit with a better objective than the best', async () => {
    const h = headline(await renderOptimizationReport(feasible, { generatedAt: when }));
    const activity = feasible.candidates.find((c) => c.id === 'activity (default)')!;
    const own = feasible.candidates.find((c) => c.id === feasible.best)!;
    expect(activity.feasible).toBe(true);
    expect(activity.objective).toBeLessThan(own.objective);
    const mkr = (x: number) => `${(x / 1e6).toFixed(1).replace('-', '−')} m kr`;
    expect(h).toContain(
      `. Activity steering (default), evaluated for reference at its default settings, also kept every limit on the search’s 300 paths and did better on the objective there: the mean of the treasury’s share in 2030 is ${mkr(activity.objective)} and the P95 of the provider’s share in 2030 is ${pct1(activity.constraints[0]!)}, against ${mkr(own.objective)} for the best design.`,
    );
    // Without it (a search of every kind it shows), the plain headline.
    const alone = withoutReferences(feasible);
    const plain = headline(await renderOptimizationReport(alone, { generatedAt: when }));
    expect(plain.startsWith(`The best design is ${nameOf(alone, alone.best, 'en')}:`)).toBe(true);
    expect(plain).not.toContain('reference');
  });

  it('says when no design kept a limit, naming the constraint and the closest design', async () => {
    // No reference design: every design shown is of a kind searched.
    const alone = withoutReferences(infeasible);
    const html = await renderOptimizationReport(alone, { generatedAt: when });
    expect(alone.feasible).toBe(false);
    const x = alone.infeasible[0]!;
    const page = text(html);
    expect(page).toContain('No design kept every limit.');
    expect(page).toContain(
      `The P95 of the provider’s share in 2030 must be at most 5%: no design tried kept this limit; the closest is ${nameOf(alone, x.closest, 'en')}, at ${pct1(x.value)}.`,
    );
    expect(page).toContain('The best design below is the one that misses the limits least.');
    const h = headline(html);
    expect(h.startsWith(`The design that comes closest is ${nameOf(alone, alone.best, 'en')}:`)).toBe(true);
    expect(h).toContain('misses the limit of at most 5% (kept in 0% of resamples)');
    const runnerUp = alone.verified[1]!;
    const p = runnerUp.probabilityBestIsBetter!;
    const share = (x: number) =>
      Math.round(100 * x) === 100 && x < 1
        ? '> 99%'
        : Math.round(100 * x) === 0 && x > 0
          ? '< 1%'
          : `${Math.round(100 * x)}%`;
    const name = nameOf(alone, runnerUp.id, 'en');
    expect(h).toContain(
      runnerUp.objective.value < alone.verified[0]!.objective.value
        ? `the runner-up, ${name}, ranks lower because it keeps the limits less well, although on the objective alone it is better with probability ${share(1 - p)}`
        : `it is better than the runner-up, ${name}, with probability ${share(p)}`,
    );
  });

  it('names a reference design that kept every limit when no design of the kinds searched did', async () => {
    const activity = infeasible.candidates.find((c) => c.id === 'activity (default)')!;
    expect(infeasible.feasible).toBe(false);
    expect(activity.feasible).toBe(true);
    const mkr = (x: number) => `${(x / 1e6).toFixed(1).replace('-', '−')} m kr`;
    const html = await renderOptimizationReport(infeasible, { generatedAt: when });
    const page = text(html);
    // Nothing says that no design kept the limit: activity steering did.
    expect(page).not.toContain('No design kept every limit');
    expect(page).not.toContain('no design tried kept');
    expect(page).toContain(
      'No design of the kinds searched kept every limit; Activity steering (default), shown for reference, did.',
    );
    const x = infeasible.infeasible[0]!;
    expect(page).toContain(
      `The P95 of the provider’s share in 2030 must be at most 5%: no design of the kinds searched kept this limit; the closest of them is ${nameOf(infeasible, x.closest, 'en')}, at ${pct1(x.value)}.`,
    );
    expect(page).toContain('The best design below is the one of the kinds searched that misses the limits least');
    // The headline opens with it, its objective and its limit's value, then the closest searched design.
    const h = headline(html);
    expect(h).toBe(
      `Activity steering (default), evaluated for reference at its default settings, kept every limit, which no design of the kinds searched did: the mean of the treasury’s share in 2030 is ${mkr(activity.objective)} and the P95 of the provider’s share in 2030 is ${pct1(activity.constraints[0]!)} (on the search’s 300 paths, not re-evaluated). ` +
        h.slice(h.indexOf('Of the kinds searched, ')),
    );
    expect(h).toContain(
      `Of the kinds searched, the design that comes closest is ${nameOf(infeasible, infeasible.best, 'en')}:`,
    );

    const da = await renderOptimizationReport(infeasible, { locale: 'da', generatedAt: when });
    const dkr = (x: number) => `${(x / 1e6).toFixed(1).replace('.', ',').replace('-', '−')} mio. kr.`;
    const dpct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')} %`;
    expect(text(da)).not.toContain('Ingen styringsmodel overholdt alle grænser');
    expect(text(da)).not.toContain('ingen afprøvet styringsmodel overholdt');
    expect(text(da)).toContain(
      'Ingen styringsmodel af de typer, søgningen afprøvede, overholdt alle grænser; det gjorde Aktivitetsstyring (standard), der vises til sammenligning.',
    );
    expect(headline(da)).toMatch(
      new RegExp(
        `^${escape(`Aktivitetsstyring (standard), der er beregnet til sammenligning med standardindstillinger, overholdt alle grænser, hvilket ingen styringsmodel af de typer, søgningen afprøvede, gjorde: gennemsnittet af kassens andel i 2030 er ${dkr(activity.objective)} og P95 for udførerens andel i 2030 er ${dpct(activity.constraints[0]!)} (på søgningens 300 forløb, ikke genberegnet). Af de typer, søgningen afprøvede, er den styringsmodel, der kommer nærmest, ${nameOf(infeasible, infeasible.best, 'da')}: `.replace(/\s+/g, ' '))}`,
      ),
    );
  });

  it('says "of the kinds searched" where a reference design came closer, though it kept no limit', async () => {
    // Activity steering at its defaults just above the limit: closer than any hybrid, but not kept.
    const moved = {
      ...infeasible,
      candidates: infeasible.candidates.map((c) =>
        c.id === 'activity (default)'
          ? { ...c, constraints: [0.055], violation: 0.5, feasible: false, frontier: [c.frontier![0], 0.055] as const }
          : c,
      ),
    };
    const html = await renderOptimizationReport(moved, { generatedAt: when });
    const page = text(html);
    expect(page).toContain('No design kept every limit.');
    // No design at all kept this limit.
    expect(page).toContain('must be at most 5%: no design tried kept this limit; the closest is ');
    expect(page).toContain('The best design below is the one of the kinds searched that misses the limits least');
    const h = headline(html);
    expect(
      h.startsWith(`Of the kinds searched, the design that comes closest is ${nameOf(moved, moved.best, 'en')}:`),
    ).toBe(true);
    expect(h).not.toContain('Activity steering');
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
    // The frontier's table lists the reference design no other beats: activity steering at its defaults.
    const frontier = /<table class="summary frontier">[\s\S]*?<\/table>/.exec(html)![0];
    expect(frontier).toContain('title="activity (default)"');
    expect(frontier).not.toContain(`title="${feasible.best}"`);
    expect(rows('candidates')).toBe(feasible.candidates.length);
    // The defaults of kinds not searched are there for reference, and the caption says so.
    expect(text(html)).toContain(
      'Frame (default) and Activity steering (default): shown for reference only, as the search tried no other design of their kinds; never chosen as the best.',
    );
    // Ids stand in the rows' titles; the best's spec as a scenario file writes it.
    for (const c of feasible.candidates) expect(html).toContain(`title="${c.id}"`);
    expect(html).toContain(
      `&quot;marginalRate&quot;: ${String(feasible.candidates.find((c) => c.id === feasible.best)!.spec.marginalRate)}`,
    );
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
      expect(h).toMatch(
        /^(Den bedste styringsmodel af de typer, søgningen afprøvede, er|Aktivitetsstyring \(standard\), der er beregnet til sammenligning) /,
      );
      const best = result.verified[0]!;
      const mkr = (x: number) => (x / 1e6).toFixed(1).replace('.', ',');
      expect(h).toContain(
        `gennemsnittet af kassens andel i 2030 er ${mkr(best.objective.value)} mio. kr. (90 %-interval ${mkr(best.objective.low)} til ${mkr(best.objective.high)} mio. kr.)`,
      );
      expect(h).toContain('genudtrækningerne');
      expect(page).toContain('Afvejning: kassens andel over for udførerens andel');
    }
    expect(
      text(await renderOptimizationReport(withoutReferences(infeasible), { locale: 'da', generatedAt: when })),
    ).toContain('Ingen styringsmodel overholdt alle grænser.');
    expect(
      headline(await renderOptimizationReport(withoutReferences(feasible), { locale: 'da', generatedAt: when })),
    ).toMatch(/^Den bedste styringsmodel er /);
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
