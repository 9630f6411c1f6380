/** The explorer page's own words, in English and Danish (the report's table gives the rest). @internal */
export interface Words {
  readonly title: string;
  readonly intro: string;
  readonly strategies: string;
  readonly assumptions: string;
  readonly assumptionsNote: string;
  readonly run: string;
  readonly paths: string;
  readonly seed: string;
  readonly year: string;
  readonly language: string;
  readonly central: string;
  readonly spread: string;
  readonly sd: string;
  readonly logSd: string;
  readonly unlimited: string;
  readonly noCap: string;
  readonly budgetTab: string;
  readonly servicesTab: string;
  readonly downloadScenario: string;
  readonly downloadReport: string;
  readonly compare: string;
  readonly problem: string;
  readonly wait: string;
  readonly controls: string;
  readonly unknown: (names: string) => string;
  readonly choice: Readonly<Record<string, string>>;
  readonly running: (total: string) => string;
  readonly refining: (done: string, total: string) => string;
  readonly done: (total: string, seconds: string) => string;
  readonly mcError: (paths: string, pp: string, mkr: string) => string;
}

export const TEXT: Readonly<Record<'en' | 'da', Words>> = {
  en: {
    title: 'carebudget explorer',
    intro:
      'Move the steering and the assumptions: every change re-runs the model on the same random numbers, so what moves is the change’s own effect. A first answer comes from a few hundred paths, then it is refined to the full count.',
    strategies: 'Steering',
    assumptions: 'Assumptions',
    assumptionsNote:
      'The uncertain inputs that matter most for this scenario (ranked by a Sobol’ analysis when the page was made), then each population group’s forecast error: move its central value and scale its spread.',
    run: 'Run',
    paths: 'Paths',
    seed: 'Seed',
    year: 'Year of the distribution chart',
    language: 'Language',
    central: 'Central value',
    spread: 'Spread',
    sd: 'sd',
    logSd: 'log sd',
    unlimited: 'unlimited',
    noCap: 'no cap',
    budgetTab: 'Budget',
    servicesTab: 'Services',
    downloadScenario: 'Download scenario (YAML)',
    downloadReport: 'Download report (HTML)',
    compare: 'Paired difference',
    problem: 'Not run',
    wait: 'The report is made from the full path count: it can be downloaded once the run is done.',
    controls: 'Controls',
    unknown: (names) => `the link names what this page does not have, left out: ${names}`,
    choice: {
      full: 'the whole deviation',
      excess: 'beyond the corridor',
      none: 'none',
      'external-place-days': 'external care-home places',
    },
    running: (total) => `Running ${total} paths…`,
    refining: (done, total) => `Answer from ${done} of ${total} paths; refining…`,
    done: (total, seconds) => `${total} paths in ${seconds} s.`,
    mcError: (paths, pp, mkr) =>
      `Monte Carlo error at ${paths} paths (two standard errors): up to ±${pp} percentage points on a probability, ±${mkr} m kr on a median.`,
  },
  da: {
    title: 'carebudget: udforsk',
    intro:
      'Flyt styringen og antagelserne: hver ændring kører modellen igen på de samme tilfældige tal, så det, der flytter sig, er ændringens egen virkning. Et første svar kommer fra nogle hundrede forløb og forfines derefter til det fulde antal.',
    strategies: 'Styring',
    assumptions: 'Antagelser',
    assumptionsNote:
      'De usikre input, der betyder mest for dette scenarie (rangeret ved en Sobol’-analyse, da siden blev lavet), og derefter hver befolkningsgruppes prognosefejl: flyt den centrale værdi og skalér spredningen.',
    run: 'Kørsel',
    paths: 'Forløb',
    seed: 'Startværdi (seed)',
    year: 'År i fordelingsdiagrammet',
    language: 'Sprog',
    central: 'Centralværdi',
    spread: 'Spredning',
    sd: 'sd',
    logSd: 'log-sd',
    unlimited: 'ubegrænset',
    noCap: 'intet loft',
    budgetTab: 'Budget',
    servicesTab: 'Ydelser',
    downloadScenario: 'Hent scenariet (YAML)',
    downloadReport: 'Hent rapporten (HTML)',
    compare: 'Parret forskel',
    problem: 'Ikke kørt',
    wait: 'Rapporten laves af det fulde antal forløb: den kan hentes, når kørslen er færdig.',
    controls: 'Indstillinger',
    unknown: (names) => `linket nævner noget, denne side ikke har, og som er udeladt: ${names}`,
    choice: {
      full: 'hele afvigelsen',
      excess: 'ud over korridoren',
      none: 'ingen',
      'external-place-days': 'eksterne plejeboligpladser',
    },
    running: (total) => `Kører ${total} forløb …`,
    refining: (done, total) => `Svar fra ${done} af ${total} forløb; forfines …`,
    done: (total, seconds) => `${total} forløb på ${seconds} s.`,
    mcError: (paths, pp, mkr) =>
      `Monte Carlo-usikkerhed ved ${paths} forløb (to standardfejl): op til ±${pp} procentpoint på en sandsynlighed, ±${mkr} mio. kr. på en median.`,
  },
};
