import { format as formatDate } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { da as daLocale } from 'date-fns/locale/da';
import { enGB } from 'date-fns/locale/en-GB';
import { VERSION } from '../version';
import {
  keeps,
  referencesOf,
  type References,
  type EvaluatedCandidate,
  type SteeringOptimization,
  type VerifiedCandidate,
} from '../optimize/optimize';
import type { MeasureSpec } from '../optimize/problem';
import type { Estimate } from '../optimize/measure';
import { ResultError } from '../simulation/result';
import { candidateName, frontierChart, measureName, measureUnit, measureValue } from '../charts/optimize';
import { checkLocale, type ChartLocale } from '../charts/locale';
import { OptionError } from '../errors';
import { escapeHtml, page, toSvg } from './render';

/** Options of {@link renderOptimizationReport}. @category Report */
export interface OptimizationReportOptions {
  /** Language of the page, its chart and its number and date formats (default `"en"`). */
  readonly locale?: ChartLocale;
  /** Title of the page (default "carebudget: steering designs for " and the scenario's name). */
  readonly title?: string;
  /** When the report was made, shown on the page (default now). */
  readonly generatedAt?: Date;
}

/** A constraint's limits, as the result gives them. */
type Limits = { readonly max?: number; readonly min?: number };

const TEXT = {
  en: {
    title: (scenario: string) => `carebudget: steering designs for ${scenario}`,
    made: 'Made',
    with: 'with carebudget',
    question: (goal: string, limits: string) =>
      limits === ''
        ? `Which steering design best meets the municipality’s risk appetite: ${goal}?`
        : `Which steering design best meets the municipality’s risk appetite: ${goal}, while ${limits}?`,
    minimize: (m: string) => `make ${m} as small as possible`,
    maximize: (m: string) => `make ${m} as large as possible`,
    atMost: (v: string) => `at most ${v}`,
    atLeast: (v: string) => `at least ${v}`,
    between: (lo: string, hi: string) => `between ${lo} and ${hi}`,
    stays: (m: string, limit: string) => `${m} stays ${limit}`,
    and: 'and',
    answer: 'The answer in brief',
    best: (name: string) => `The best design is ${name}`,
    closest: (name: string) => `The design that comes closest is ${name}`,
    bestSearched: (name: string) => `The best design of the kinds searched is ${name}`,
    closestSearched: (name: string) => `Of the kinds searched, the design that comes closest is ${name}`,
    is: (m: string, v: string) => `${m} is ${v}`,
    referenceFor: (name: string, values: string) => `for ${name}, ${values}`,
    referenceKept: (names: string, many: boolean, values: string, paths: string) =>
      `${names}, evaluated for reference at ${many ? 'their' : 'its'} default settings, kept every limit, which no design of the kinds searched did: ${values} (on the search’s ${paths} paths, not re-evaluated).`,
    referenceBetter: (names: string, many: boolean, values: string, best: string, paths: string) =>
      `${names}, evaluated for reference at ${many ? 'their' : 'its'} default settings, also kept every limit on the search’s ${paths} paths and did better on the objective there: ${values}, against ${best} for the best design.`,
    objective: (m: string, v: string, lo: string, hi: string) => `${m} is ${v} (90% interval ${lo} to ${hi})`,
    kept: (m: string, v: string, limit: string, p: string) =>
      `${m} is ${v} and keeps the limit of ${limit} in ${p} of resamples`,
    missed: (m: string, v: string, limit: string, p: string) =>
      `${m} is ${v} and misses the limit of ${limit} (kept in ${p} of resamples)`,
    better: (name: string, p: string) => `it is better than the runner-up, ${name}, with probability ${p}`,
    ranked: (name: string, p: string) =>
      `the runner-up, ${name}, ranks lower because it keeps the limits less well, although on the objective alone it is better with probability ${p}`,
    method: (paths: string, top: number, fresh: string) =>
      `Every design ran on the same ${paths} paths (common random numbers), so the differences between them are the designs’ own. The ${top === 1 ? 'best' : `${top} best`} were then run again on ${fresh} fresh paths; the numbers above are from those, the 90% intervals and the shares of resamples from a bootstrap over those paths.`,
    infeasibleHead: 'No design kept every limit.',
    infeasibleHeadReference: (names: string) =>
      `No design of the kinds searched kept every limit; ${names}, shown for reference, did.`,
    infeasible: (m: string, limit: string, name: string, v: string) =>
      `${m} must be ${limit}: no design tried kept this limit; the closest is ${name}, at ${v}.`,
    infeasibleSearched: (m: string, limit: string, name: string, v: string) =>
      `${m} must be ${limit}: no design of the kinds searched kept this limit; the closest of them is ${name}, at ${v}.`,
    infeasibleNote: 'The best design below is the one that misses the limits least.',
    infeasibleNoteSearched:
      'The best design below is the one of the kinds searched that misses the limits least; a design shown for reference is never chosen as the best.',
    spec: 'The best design as a scenario file writes it:',
    verified: 'The best designs, re-evaluated',
    verifiedCaption: (fresh: string) => `Re-evaluated on ${fresh} fresh paths; 90% intervals in brackets`,
    frontier: 'The trade-off',
    frontierCaption: (x: string, y: string) =>
      `Every design tried, by ${x} and ${y}. The line joins the frontier: the designs no other beats on both. Squares are the built-in strategies at their default settings; the ring is the best design after re-evaluation; the dashed line is a limit.`,
    reference: (names: string, many: boolean) =>
      ` ${names}: shown for reference only, as the search tried no other design of ${many ? 'their kinds' : 'its kind'}; never chosen as the best.`,
    frontierTable: 'The designs on the frontier',
    all: 'Every design tried',
    allCaption: (paths: string) => `On the search’s ${paths} paths, in the order tried`,
    rank: 'Rank',
    design: 'Design',
    pKept: 'P(limit kept)',
    keepsAll: 'Keeps every limit',
    pBetter: 'P(the best is better)',
    yes: 'yes',
    no: 'no',
    search: 'The search',
    scenario: 'Scenario',
    searchPaths: 'Paths per design in the search',
    freshPaths: 'Fresh paths for the re-evaluation',
    evaluations: 'Designs evaluated (of the budget)',
    seed: 'Seed',
    version: 'Library version',
    hash: 'Scenario hash',
    noFrontier: 'The problem has no second measure to draw a trade-off against.',
    limitIn: (limit: string) => `limit ${limit}`,
  },
  da: {
    title: (scenario: string) => `carebudget: styringsmodeller for ${scenario}`,
    made: 'Lavet',
    with: 'med carebudget',
    question: (goal: string, limits: string) =>
      limits === ''
        ? `Hvilken styringsmodel passer bedst til kommunens risikovillighed: ${goal}?`
        : `Hvilken styringsmodel passer bedst til kommunens risikovillighed: ${goal}, mens ${limits}?`,
    minimize: (m: string) => `gør ${m} så lille som muligt`,
    maximize: (m: string) => `gør ${m} så stor som muligt`,
    atMost: (v: string) => `højst ${v}`,
    atLeast: (v: string) => `mindst ${v}`,
    between: (lo: string, hi: string) => `mellem ${lo} og ${hi}`,
    stays: (m: string, limit: string) => `${m} holder sig på ${limit}`,
    and: 'og',
    answer: 'Svaret kort',
    best: (name: string) => `Den bedste styringsmodel er ${name}`,
    closest: (name: string) => `Den styringsmodel, der kommer nærmest, er ${name}`,
    bestSearched: (name: string) => `Den bedste styringsmodel af de typer, søgningen afprøvede, er ${name}`,
    closestSearched: (name: string) =>
      `Af de typer, søgningen afprøvede, er den styringsmodel, der kommer nærmest, ${name}`,
    is: (m: string, v: string) => `${m} er ${v}`,
    referenceFor: (name: string, values: string) => `for ${name} gælder, at ${values}`,
    referenceKept: (names: string, _many: boolean, values: string, paths: string) =>
      `${names}, der er beregnet til sammenligning med standardindstillinger, overholdt alle grænser, hvilket ingen styringsmodel af de typer, søgningen afprøvede, gjorde: ${values} (på søgningens ${paths} forløb, ikke genberegnet).`,
    referenceBetter: (names: string, _many: boolean, values: string, best: string, paths: string) =>
      `${names}, der er beregnet til sammenligning med standardindstillinger, overholdt også alle grænser på søgningens ${paths} forløb og klarede sig bedre på målet dér: ${values}, mod ${best} for den bedste styringsmodel.`,
    objective: (m: string, v: string, lo: string, hi: string) => `${m} er ${v} (90 %-interval ${lo} til ${hi})`,
    kept: (m: string, v: string, limit: string, p: string) =>
      `${m} er ${v} og overholder grænsen på ${limit} i ${p} af genudtrækningerne`,
    missed: (m: string, v: string, limit: string, p: string) =>
      `${m} er ${v} og overskrider grænsen på ${limit} (overholdt i ${p} af genudtrækningerne)`,
    better: (name: string, p: string) => `den er bedre end nummer to, ${name}, med sandsynlighed ${p}`,
    ranked: (name: string, p: string) =>
      `nummer to, ${name}, er rangeret lavere, fordi den overholder grænserne dårligere, selv om den på målet alene er bedre med sandsynlighed ${p}`,
    method: (paths: string, top: number, fresh: string) =>
      `Alle styringsmodeller er kørt på de samme ${paths} forløb (fælles tilfældige tal), så forskellene mellem dem skyldes modellerne selv. ${top === 1 ? 'Den bedste' : `De ${top} bedste`} er derefter kørt igen på ${fresh} nye forløb; tallene ovenfor er derfra, og 90 %-intervallerne og andelene af genudtrækninger kommer fra en bootstrap over disse forløb.`,
    infeasibleHead: 'Ingen styringsmodel overholdt alle grænser.',
    infeasibleHeadReference: (names: string) =>
      `Ingen styringsmodel af de typer, søgningen afprøvede, overholdt alle grænser; det gjorde ${names}, der vises til sammenligning.`,
    infeasible: (m: string, limit: string, name: string, v: string) =>
      `${m} skal være ${limit}: ingen afprøvet styringsmodel overholdt denne grænse; nærmest kommer ${name} med ${v}.`,
    infeasibleSearched: (m: string, limit: string, name: string, v: string) =>
      `${m} skal være ${limit}: ingen styringsmodel af de typer, søgningen afprøvede, overholdt denne grænse; nærmest af dem kommer ${name} med ${v}.`,
    infeasibleNote: 'Den bedste styringsmodel nedenfor er den, der overskrider grænserne mindst.',
    infeasibleNoteSearched:
      'Den bedste styringsmodel nedenfor er den af de afprøvede typer, der overskrider grænserne mindst; en styringsmodel, der vises til sammenligning, vælges aldrig som den bedste.',
    spec: 'Den bedste styringsmodel, som en scenariefil skriver den:',
    verified: 'De bedste styringsmodeller, genberegnet',
    verifiedCaption: (fresh: string) => `Genberegnet på ${fresh} nye forløb; 90 %-intervaller i parentes`,
    frontier: 'Afvejningen',
    frontierCaption: (x: string, y: string) =>
      `Alle afprøvede styringsmodeller efter ${x} og ${y}. Linjen forbinder den effektive front: de modeller, som ingen anden slår på begge mål. Firkanterne er de indbyggede styringsmodeller med standardindstillinger; ringen er den bedste efter genberegning; den stiplede linje er en grænse.`,
    reference: (names: string, _many: boolean) =>
      ` ${names}: vises kun til sammenligning, da søgningen ikke afprøvede andre modeller af samme type; kan ikke vælges som den bedste.`,
    frontierTable: 'Styringsmodellerne på den effektive front',
    all: 'Alle afprøvede styringsmodeller',
    allCaption: (paths: string) => `På søgningens ${paths} forløb, i den rækkefølge de er afprøvet`,
    rank: 'Nr.',
    design: 'Styringsmodel',
    pKept: 'P(grænse overholdt)',
    keepsAll: 'Overholder alle grænser',
    pBetter: 'P(den bedste er bedre)',
    yes: 'ja',
    no: 'nej',
    search: 'Søgningen',
    scenario: 'Scenarie',
    searchPaths: 'Forløb pr. styringsmodel i søgningen',
    freshPaths: 'Nye forløb til genberegningen',
    evaluations: 'Afprøvede styringsmodeller (af budgettet)',
    seed: 'Frø (seed)',
    version: 'Biblioteksversion',
    hash: 'Scenariets hash',
    noFrontier: 'Problemet har intet andet mål at tegne en afvejning over for.',
    limitIn: (limit: string) => `grænse ${limit}`,
  },
} as const;

type Text = (typeof TEXT)[ChartLocale];

/** Number formats of a locale; a share that rounds to 0 % or 100 % but is not is shown as "< 1 %" or "> 99 %". */
function formats(locale: ChartLocale) {
  const tag = locale === 'da' ? 'da-DK' : 'en-GB';
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  return {
    int: (x: number) => int.format(x),
    pct: (x: number) => {
      const shown = Math.round(x * 100);
      if (shown === 0 && x > 0) return `< ${pct.format(0.01)}`;
      if (shown === 100 && x < 1) return `> ${pct.format(0.99)}`;
      return pct.format(shown / 100);
    },
    date: (d: Date) => formatDate(d, 'PPP', { locale: locale === 'da' ? daLocale : enGB }),
  };
}

type Formats = ReturnType<typeof formats>;

/** A sentence's first letter in upper case. */
function capital(text: string): string {
  return text === '' ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** A constraint's limit in words: "at most 5%", "at least 2 m kr", "between 1% and 5%". */
function limitText(m: MeasureSpec, limits: Limits, t: Text, locale: ChartLocale): string {
  const v = (x: number) => measureValue(m, x, locale, 'limit');
  if (limits.max !== undefined && limits.min !== undefined) return t.between(v(limits.min), v(limits.max));
  return limits.max !== undefined ? t.atMost(v(limits.max)) : t.atLeast(v(limits.min!));
}

/** An estimate with its interval in a table: "34.7 (33.9–35.5)", "6.5% (6.2–6.7%)". */
function estimateCell(m: MeasureSpec, e: Estimate, locale: ChartLocale): string {
  const v = (x: number) => measureValue(m, x, locale, 'bare');
  return `${v(e.value)} (${measureValue(m, e.low, locale, 'number')}–${v(e.high)})`;
}

/** A table header of a measure: its name and its unit when the cells leave it out (m kr). */
function measureHead(m: MeasureSpec, locale: ChartLocale): string {
  const unit = measureUnit(m, locale);
  return unit.share || unit.unit === '' ? measureName(m, locale) : `${measureName(m, locale)} (${unit.unit})`;
}

/** Joins phrases: "a", "a and b", "a, b and c". */
function joinAnd(parts: readonly string[], t: Text): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${t.and} ${parts[parts.length - 1]!}`;
}

/** A candidate's objective and constraints on the search paths, in words: "the mean of … is 0.11 m kr and …". */
function valuesText(result: SteeringOptimization, c: EvaluatedCandidate, locale: ChartLocale): string {
  const t = TEXT[locale];
  const { objective, constraints } = result.measures;
  const say = (m: MeasureSpec, x: number) => t.is(measureName(m, locale, true), measureValue(m, x, locale));
  return joinAnd([say(objective, c.objective), ...c.constraints.map((x, i) => say(constraints[i]!, x))], t);
}

/** Reference designs with their values: one's values alone, several's each after its name. */
function referencesText(
  result: SteeringOptimization,
  refs: readonly EvaluatedCandidate[],
  names: ReadonlyMap<string, string>,
  locale: ChartLocale,
): string {
  const t = TEXT[locale];
  if (refs.length === 1) return valuesText(result, refs[0]!, locale);
  return refs.map((c) => t.referenceFor(names.get(c.id) ?? c.id, valuesText(result, c, locale))).join('; ');
}

/**
 * The headline: the best design, its objective with interval, each limit and how surely it is
 * kept, the runner-up; before it a reference design that kept every limit when no searched
 * design did, after it one that kept them and did better on the objective than the best.
 */
function headline(
  result: SteeringOptimization,
  names: ReadonlyMap<string, string>,
  refs: References,
  locale: ChartLocale,
  f: Formats,
): string {
  const t = TEXT[locale];
  const best = result.verified[0]!;
  const om = result.measures.objective;
  const value = (m: MeasureSpec, x: number) => measureValue(m, x, locale);
  const parts: string[] = [
    t.objective(
      measureName(om, locale, true),
      value(om, best.objective.value),
      measureValue(om, best.objective.low, locale, 'number'),
      value(om, best.objective.high),
    ),
  ];
  best.constraints.forEach((k, i) => {
    const m = result.measures.constraints[i]!;
    const say = k.met ? t.kept : t.missed;
    parts.push(
      say(
        measureName(m, locale, true),
        value(m, k.estimate.value),
        limitText(m, k, t, locale),
        f.pct(k.probabilityMet),
      ),
    );
  });
  const runnerUp: VerifiedCandidate | undefined = result.verified[1];
  if (runnerUp?.probabilityBestIsBetter !== undefined) {
    const sign = result.objective.direction === 'minimize' ? 1 : -1;
    const name = names.get(runnerUp.id) ?? runnerUp.id;
    const p = runnerUp.probabilityBestIsBetter;
    // Ranked below the best although better on the objective: it keeps the limits less well
    // (and is the better on the objective with the complement of the probability; ties count half).
    parts.push(
      sign * (runnerUp.objective.value - best.objective.value) < 0
        ? t.ranked(name, f.pct(1 - p))
        : t.better(name, f.pct(p)),
    );
  }
  const say = result.feasible
    ? refs.better.length > 0
      ? t.bestSearched
      : t.best
    : refs.closer.length > 0
      ? t.closestSearched
      : t.closest;
  const main = `${say(names.get(best.id) ?? best.id)}: ${parts.join('; ')}.`;
  const paths = f.int(result.search.paths);
  const nameList = (list: readonly EvaluatedCandidate[]) =>
    joinAnd(
      list.map((c) => names.get(c.id) ?? c.id),
      t,
    );
  if (!result.feasible && refs.kept.length > 0)
    return `${t.referenceKept(nameList(refs.kept), refs.kept.length > 1, referencesText(result, refs.kept, names, locale), paths)} ${main}`;
  if (refs.better.length > 0) {
    const bestValue = measureValue(result.measures.objective, refs.best!.objective, locale);
    return `${main} ${t.referenceBetter(nameList(refs.better), refs.better.length > 1, referencesText(result, refs.better, names, locale), bestValue, paths)}`;
  }
  return main;
}

/**
 * The message of a problem no searched design solved: each constraint none kept, with the
 * closest; the reference designs that kept every limit named in its head, and "of the kinds
 * searched" wherever a reference design did better than the searched ones.
 */
function infeasibleBox(
  result: SteeringOptimization,
  names: ReadonlyMap<string, string>,
  refs: References,
  locale: ChartLocale,
): string {
  const t = TEXT[locale];
  const items = result.infeasible.map((x) => {
    const i = result.constraints.findIndex((c) => c.label === x.label);
    const m = result.measures.constraints[i];
    const limits = result.constraints[i];
    if (m === undefined || limits === undefined)
      throw new ResultError(
        `renderOptimizationReport: infeasible names the constraint ${JSON.stringify(x.label)}, which is not among the result's constraints`,
      );
    const v = measureValue(m, x.value, locale);
    const what = capital(measureName(m, locale, true));
    // A reference design that keeps this limit: then only no design of the kinds searched did.
    const keptByReference = refs.all.some((c) => keeps(limits, c.constraints[i]!));
    const say = keptByReference ? t.infeasibleSearched : t.infeasible;
    return `<li>${escapeHtml(say(what, limitText(m, limits, t, locale), names.get(x.closest) ?? x.closest, v))}</li>`;
  });
  const head =
    refs.kept.length > 0
      ? t.infeasibleHeadReference(
          joinAnd(
            refs.kept.map((c) => names.get(c.id) ?? c.id),
            t,
          ),
        )
      : t.infeasibleHead;
  const note = refs.closer.length > 0 ? t.infeasibleNoteSearched : t.infeasibleNote;
  return `<div class="infeasible" role="alert" style="border-left: 4px solid #e45756; background: #fdf1f0; padding: 8px 14px; margin: 10px 0; max-width: 90ch;">
<p><strong>${escapeHtml(head)}</strong></p>
<ul>${items.join('')}</ul>
<p>${escapeHtml(note)}</p>
</div>`;
}

/** A table's header cells, the design's column (at `design`) aligned left as its names are. */
function headCells(head: readonly string[], design: number): string {
  return head.map((h, i) => `<th${i === design ? ' style="text-align: left;"' : ''}>${escapeHtml(h)}</th>`).join('');
}

/** A design's name in a table's row head, its id as the cell's title. */
function nameCell(id: string, names: ReadonlyMap<string, string>, bold = false): string {
  const name = escapeHtml(names.get(id) ?? id);
  return `<th scope="row" title="${escapeHtml(id)}" style="text-align: left;">${bold ? `<strong>${name}</strong>` : name}</th>`;
}

function verifiedTable(
  result: SteeringOptimization,
  names: ReadonlyMap<string, string>,
  locale: ChartLocale,
  f: Formats,
): string {
  const t = TEXT[locale];
  const { objective, constraints } = result.measures;
  const head = [
    t.rank,
    t.design,
    measureHead(objective, locale),
    ...constraints.flatMap((m, i) => [
      `${measureHead(m, locale)}, ${t.limitIn(limitText(m, result.constraints[i]!, t, locale))}`,
      t.pKept,
    ]),
    t.keepsAll,
    t.pBetter,
  ];
  const rows = result.verified.map((v, r) => {
    const cells = [
      estimateCell(objective, v.objective, locale),
      ...v.constraints.flatMap((k, i) => [estimateCell(constraints[i]!, k.estimate, locale), f.pct(k.probabilityMet)]),
      v.feasible ? t.yes : t.no,
      v.probabilityBestIsBetter === undefined ? '—' : f.pct(v.probabilityBestIsBetter),
    ];
    return `<tr><td>${r + 1}</td>${nameCell(v.id, names, r === 0)}${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="summary verified"><caption>${escapeHtml(t.verifiedCaption(f.int(result.search.verifyPaths)))}</caption>
<thead><tr>${headCells(head, 1)}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function frontierTable(
  result: SteeringOptimization,
  names: ReadonlyMap<string, string>,
  byId: ReadonlyMap<string, EvaluatedCandidate>,
  locale: ChartLocale,
): string {
  const t = TEXT[locale];
  const axes = result.measures.frontier!;
  const rows = result.frontier!.ids.map((id) => {
    const c = byId.get(id)!;
    const cells = [
      measureValue(axes.x, c.frontier![0], locale, 'bare'),
      measureValue(axes.y, c.frontier![1], locale, 'bare'),
    ];
    return `<tr>${nameCell(id, names, id === result.best)}${cells.map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`;
  });
  const head = [t.design, measureHead(axes.x, locale), measureHead(axes.y, locale)];
  return `<table class="summary frontier"><caption>${escapeHtml(t.frontierTable)}</caption>
<thead><tr>${headCells(head, 0)}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function candidatesTable(
  result: SteeringOptimization,
  names: ReadonlyMap<string, string>,
  locale: ChartLocale,
  f: Formats,
): string {
  const t = TEXT[locale];
  const { objective, constraints } = result.measures;
  const head = [
    '#',
    t.design,
    measureHead(objective, locale),
    ...constraints.map(
      (m, i) => `${measureHead(m, locale)}, ${t.limitIn(limitText(m, result.constraints[i]!, t, locale))}`,
    ),
    t.keepsAll,
  ];
  const rows = result.candidates.map((c, r) => {
    const cells = [
      measureValue(objective, c.objective, locale, 'bare'),
      ...c.constraints.map((x, i) => measureValue(constraints[i]!, x, locale, 'bare')),
      c.feasible ? t.yes : t.no,
    ];
    return `<tr><td>${r + 1}</td>${nameCell(c.id, names, c.id === result.best)}${cells.map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`;
  });
  return `<table class="summary candidates"><caption>${escapeHtml(t.allCaption(f.int(result.search.paths)))}</caption>
<thead><tr>${headCells(head, 1)}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * Renders a self-contained HTML report of an `optimizeSteering` result: the question in words,
 * a headline a finance committee can quote (the best design, its objective with a 90 % interval,
 * each limit with the share of bootstrap resamples in which it is kept, and the probability that
 * it beats the runner-up), a message naming each limit no design kept with the closest design
 * (and a reference design, a built-in strategy at its defaults of a kind not searched, that kept
 * every limit when no searched design did, or kept them with a better objective than the best),
 * the table of the re-evaluated designs, the trade-off chart ({@link frontierChart}, drawn to
 * inline SVG with vega in Node) with the frontier's designs, every design tried, and the search's
 * record. English or Danish; nothing outside the page is fetched.
 *
 * @param result - from `optimizeSteering`
 * @param options - locale, title and the date shown
 * @returns the HTML page
 * @throws `OptionError` for an unknown locale or an invalid date; {@link ResultError} for a
 *   result without re-evaluated designs or without its measures
 * @example
 * ```ts
 * const r = await optimizeSteering(lejre2034(), {
 *   candidates: [{ kind: 'hybrid', vary: { corridor: '0..0.10', marginalRate: '0..1' } }],
 *   objective: { minimize: { measure: 'mean', figure: 'treasuryShareKr', year: 2030 } },
 *   constraints: [{ measure: 'p95', figure: 'providerDeviationPct', year: 2030, max: 0.05 }],
 *   paths: 60,
 *   evaluations: 10,
 * });
 * const html = await renderOptimizationReport(r, { locale: 'da' });
 * html.includes('<html lang="da">'); //=> true
 * ```
 * @category Report
 */
export async function renderOptimizationReport(
  result: SteeringOptimization,
  options: OptimizationReportOptions = {},
): Promise<string> {
  const locale = checkLocale(options.locale, 'renderOptimizationReport');
  const generatedAt = options.generatedAt ?? new Date();
  if (!(generatedAt instanceof Date) || !isValid(generatedAt))
    throw new OptionError(
      `renderOptimizationReport: generatedAt must be a valid Date; received ${String(generatedAt)}`,
      { option: 'generatedAt', received: generatedAt },
    );
  if ((result.measures as SteeringOptimization['measures'] | undefined) === undefined)
    throw new ResultError(
      'renderOptimizationReport: the result has no measures (a result from before the measures were recorded); run optimizeSteering again',
    );
  if (result.verified.length === 0)
    throw new ResultError('renderOptimizationReport: the result has no re-evaluated designs (verified is empty)');
  const t = TEXT[locale];
  const f = formats(locale);
  const names = new Map(result.candidates.map((c) => [c.id, candidateName(c, locale)]));
  const byId = new Map(result.candidates.map((c) => [c.id, c]));
  const { objective, constraints } = result.measures;
  const refs = referencesOf(result);

  const goal = (result.objective.direction === 'minimize' ? t.minimize : t.maximize)(
    measureName(objective, locale, true),
  );
  const limits = joinAnd(
    constraints.map((m, i) => t.stays(measureName(m, locale, true), limitText(m, result.constraints[i]!, t, locale))),
    t,
  );
  const best = byId.get(result.best);
  const spec = best === undefined ? '' : JSON.stringify(best.spec, null, 2);

  let chart = `<p class="note">${escapeHtml(t.noFrontier)}</p>`;
  if (result.frontier !== undefined && result.measures.frontier !== undefined) {
    const svg = await toSvg(frontierChart(result, { locale }));
    const axes = result.measures.frontier;
    // The built-in strategies at their defaults whose kind the search did not try: for reference only.
    const reference = refs.all.map((c) => names.get(c.id)!);
    const caption =
      t.frontierCaption(measureName(axes.x, locale, true), measureName(axes.y, locale, true)) +
      (reference.length === 0 ? '' : t.reference(joinAnd(reference, t), reference.length > 1));
    chart = `<figure class="chart" id="chart-frontier">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>
${frontierTable(result, names, byId, locale)}`;
  }

  const cell = (k: string, value: string) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(value)}</td></tr>`;
  const record = `<table class="inputs"><tbody>
${cell(t.scenario, result.scenario)}
${cell(t.searchPaths, f.int(result.search.paths))}
${cell(t.freshPaths, f.int(result.search.verifyPaths))}
${cell(t.evaluations, `${f.int(result.search.evaluations)} (${f.int(result.search.budget)})`)}
${cell(t.seed, String(result.search.seed))}
${cell(t.version, result.record.libraryVersion)}
${cell(t.hash, result.record.scenarioHash)}
</tbody></table>`;

  const title = options.title ?? t.title(result.scenario);
  return page(
    locale,
    title,
    `<p class="meta">${escapeHtml(`${t.made} ${f.date(generatedAt)} ${t.with} ${VERSION}`)}</p>
<p class="question">${escapeHtml(capital(t.question(goal, limits)))}</p>
<h2>${escapeHtml(t.answer)}</h2>
<section class="answer">
${result.feasible ? '' : infeasibleBox(result, names, refs, locale)}
<p class="headline">${escapeHtml(headline(result, names, refs, locale, f))}</p>
<p class="note">${escapeHtml(t.method(f.int(result.search.paths), result.verified.length, f.int(result.search.verifyPaths)))}</p>
</section>
<h2>${escapeHtml(t.verified)}</h2>
${verifiedTable(result, names, locale, f)}
${spec === '' ? '' : `<p class="note">${escapeHtml(t.spec)}</p>\n<pre class="spec">${escapeHtml(spec)}</pre>`}
<h2>${escapeHtml(t.frontier)}</h2>
${chart}
<h2>${escapeHtml(t.all)}</h2>
${candidatesTable(result, names, locale, f)}
<h2>${escapeHtml(t.search)}</h2>
${record}
`,
  );
}
