/**
 * The words a sensitivity analysis is described with, in English and Danish, for the analyses
 * themselves (their `estimator`), the HTML report and the command line: one place for each
 * sentence and for how a level or a percentile is written.
 */

/** What the sentence on an analysis's estimator is made from: its method and design. */
export type EstimatorDesign =
  | { readonly method: 'sobol'; readonly n: number; readonly groups: readonly unknown[]; readonly confidence: number }
  | { readonly method: 'rank'; readonly paths: number; readonly confidence: number }
  | { readonly method: 'twoLevel'; readonly outer: number; readonly inner: number; readonly confidence: number }
  /** `paths`: all the tornado's runs together, (2k + 1) runs for k inputs. */
  | {
      readonly method: 'tornado';
      readonly paths: number;
      readonly inputs: readonly unknown[];
      readonly low: number;
      readonly high: number;
    };

/**
 * An interval's level in per cent as the language writes it, with one decimal where it has one:
 * 95, 99.5 (99,5 in Danish). A level left out is the default, 95 %.
 */
export function levelPercent(confidence: number | undefined, locale: 'en' | 'da' = 'en'): string {
  const text = String(Number(((confidence ?? 0.95) * 100).toFixed(1)));
  return locale === 'da' ? text.replace('.', ',') : text;
}

/** A probability as a percentile's name: 0.1 → P10. */
export function percentileName(p: number): string {
  return `P${Math.round(p * 100)}`;
}

/** How an analysis's numbers are estimated, in a sentence or two. */
export function estimatorText(s: EstimatorDesign, locale: 'en' | 'da'): string {
  const da = locale === 'da';
  // Danish writes thousands with a point; the English sentence keeps plain digits.
  const n = (x: number) => (da ? x.toLocaleString('da-DK') : String(x));
  switch (s.method) {
    case 'sobol': {
      const k = s.groups.length;
      const level = levelPercent(s.confidence, locale);
      return da
        ? `Pick-freeze på de nøglede tilfældige strømme, N = ${n(s.n)} basistræk, ${k} grupper, ${n(s.n * (k + 2))} forløb under hver strategi; indeks af første orden efter Saltelli (2010), totale indeks efter Jansen (1999), andele (S + ST)/2 (Shapley-effekter for uafhængige grupper med højst parvise samspil); ${level} %-percentil-bootstrapintervaller over basistrækkene.`
        : `Pick-freeze on the keyed streams, N = ${n(s.n)} base draws, ${k} groups, ${n(s.n * (k + 2))} paths under each strategy; first-order indices by Saltelli (2010), total indices by Jansen (1999), shares (S + ST)/2 (Shapley effects for independent groups with at most pairwise interactions); ${level} % percentile bootstrap intervals over the base draws.`;
    }
    case 'rank': {
      const level = levelPercent(s.confidence, locale);
      return da
        ? `Spearmans rangkorrelation over ${n(s.paths)} forløb af en almindelig kørsel; ${level} %-percentil-bootstrapintervaller over forløbene.`
        : `Spearman rank correlation over ${n(s.paths)} paths of a plain run; ${level} % percentile bootstrap intervals over the paths.`;
    }
    case 'twoLevel': {
      const level = levelPercent(s.confidence, locale);
      return da
        ? `Monte Carlo i to niveauer: ${n(s.outer)} ydre træk af de strukturelle parametre × ${n(s.inner)} forløb med variation for hvert; envejs variansanalyse med tilfældige effekter (mellem = variansen af de ydre gennemsnit − inden for / ${s.inner}, mindst 0); ${level} %-percentil-bootstrapintervaller over de ydre træk.`
        : `Two-level Monte Carlo: ${n(s.outer)} outer draws of the structural parameters × ${n(s.inner)} paths of variability each; one-way random-effects analysis of variance (between = variance of the outer means − within / ${s.inner}, clipped at 0); ${level} % percentile bootstrap intervals over the outer draws.`;
    }
    case 'tornado': {
      const runs = 2 * s.inputs.length + 1;
      const low = percentileName(s.low);
      const high = percentileName(s.high);
      return da
        ? `Tornado: medianen over ${n(s.paths / runs)} forløb med ét input ved sin ${low} og ${high}, alle andre skalære input ved deres median og de tilfældige processer trukket som ellers på de samme forløb; ${runs} kørsler.`
        : `Tornado: the median over ${n(s.paths / runs)} paths with one input at its ${low} and ${high}, every other scalar input at its median and the random processes drawn as usual on the same paths; ${runs} runs.`;
    }
  }
}

/** How the notes name what they speak of: input groups, scalar inputs, the figure, a strategy. */
export interface NoteNames {
  readonly group: (id: string) => string;
  readonly input: (id: string) => string;
  readonly figure: (figure: string) => string;
  readonly strategy: (id: string) => string;
}

/** A list as the language writes it: "a, b and c" / "a, b og c". */
export function listText(items: readonly string[], locale: 'en' | 'da'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'da' ? 'og' : 'and'} ${items[items.length - 1]!}`;
}

/**
 * A note of an analysis (as `notes` holds it, in English with ids) in words for a reader, in
 * English or Danish, with the groups, inputs, figure and strategies named by `names`. A note
 * this does not know is returned as it is.
 */
export function noteText(note: string, locale: 'en' | 'da', names: NoteNames): string {
  const da = locale === 'da';
  const split = (list: string) => list.split(', ').filter((x) => x !== '');
  let m = /^Known exactly, so left out: (.*)$/.exec(note);
  if (m !== null) {
    const inputs = listText(split(m[1]!).map(names.input), locale);
    return da
      ? `Kendt præcist i scenariet og derfor udeladt: ${inputs}.`
      : `Known exactly in the scenario, so left out: ${inputs}.`;
  }
  m = /^"(.*)" is one input made of (.*)$/.exec(note);
  if (m !== null) {
    const members = listText(split(m[2]!).map(names.group), locale);
    return da
      ? `»${names.group(m[1]!)}« er ét input, sammensat af ${members}.`
      : `"${names.group(m[1]!)}" is one input made of ${members}.`;
  }
  m = /^(.*) are analysed as one group \("(.*)"\), because the scenario correlates (.*)$/.exec(note);
  if (m !== null) {
    const parts = listText(
      [...m[1]!.matchAll(/"([^"]*)"/g)].map((x) => names.group(x[1]!)),
      locale,
    );
    const inputs = listText(split(m[3]!).map(names.input), locale);
    return da
      ? `${parts} analyseres som én gruppe, fordi scenariet korrelerer ${inputs}.`
      : `${parts} are analysed as one group, because the scenario correlates ${inputs}.`;
  }
  m = /^(\S+) does not vary \(the same on every path\), so its indices and shares are 0, in: (.*)$/.exec(note);
  if (m !== null) {
    const where = listText(
      split(m[2]!).map((x) => {
        const at = x.lastIndexOf(' ');
        return at < 0 ? x : `${names.strategy(x.slice(0, at))} ${x.slice(at + 1)}`;
      }),
      locale,
    );
    return da
      ? `${names.figure(m[1]!)} varierer ikke (den er den samme i alle forløb), så dens indeks og andele er 0 i: ${where}.`
      : `${names.figure(m[1]!)} does not vary (it is the same on every path), so its indices and shares are 0 in: ${where}.`;
  }
  return note;
}
