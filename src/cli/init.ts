/**
 * The commented starter scenario that `carebudget init` writes: a preset as YAML, each section
 * and the main fields explained, and a first line that points editors at the JSON Schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isMap, isPair, isScalar, visit } from 'yaml';
import { inputGroupsOf } from '../sensitivity/run';
import { VERSION } from '../version';

/**
 * The `scenario.schema.json` of the carebudget this code runs from: the package's own file
 * (`node_modules/carebudget/scenario.schema.json` when installed, the repository's when run from
 * a clone), found by walking up from `from` to the directory whose `package.json` is named
 * carebudget. Undefined when there is none.
 */
export function shippedSchemaFile(from: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const schema = join(dir, 'scenario.schema.json');
    if (existsSync(schema)) {
      try {
        if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'carebudget')
          return schema;
      } catch {
        // no package.json here, or not JSON: look further up
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The schema address `init` writes into a starter file, so that editors find the schema offline:
 * the path of the installed package's own schema relative to the written file when both lie
 * under the working directory (a project's node_modules, or the clone itself), else the schema's
 * absolute path (a package run by npx from its cache, a file written elsewhere); the published
 * file on unpkg only when no schema file is found.
 *
 * @param file - the file written, or undefined for standard output (then relative to `cwd`)
 * @param schemaFile - the schema file ({@link shippedSchemaFile}), or undefined when there is none
 * @param cwd - the working directory
 */
export function schemaLink(
  file: string | undefined,
  schemaFile: string | undefined,
  cwd: string = process.cwd(),
): string {
  if (schemaFile === undefined) return `https://unpkg.com/carebudget@${VERSION}/scenario.schema.json`;
  const from = file === undefined ? cwd : dirname(resolve(cwd, file));
  const under = (path: string) => {
    const r = relative(cwd, path);
    return r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
  };
  if (!under(schemaFile) || !under(from)) return schemaFile.split(sep).join('/');
  const path = relative(from, schemaFile).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/** Comments by field path (array indices left out), written above the field. */
const COMMENTS: Readonly<Record<string, string>> = {
  name: ' A short name, shown in reports.',
  baseYear: ' The last year with known figures; the first simulated year is baseYear + 1.',
  horizonYears: ' Number of simulated years (1 to 30).',
  step: ' Time step within a year: month, quarter or year.',
  seed: ' The seed: the same scenario and seed give the same figures, on any machine.',
  paths: " Number of Monte Carlo paths (the command line's --paths overrides it).",
  calendar: ' The budget calendar: adoption in the autumn before the year, follow-ups during it (MM-DD).',
  population:
    ' Population by age group: a count in the base year with a target or a growth a year, or a table by year\n (carebudget population turns a Statistics Denmark projection into this section).',
  'population.correlation': ' Correlation of the projection errors across age groups.',
  prices: ' Price and wage index: the forecast that uprates budgets, and the spread of the outcome around it.',
  homeCare:
    ' Home care (Serviceloven §83). Shares are fractions (0.05 = 5 %); a number may be a distribution\n such as { dist: pert, min: 1, mode: 2, max: 4 }, drawn once per path.',
  'homeCare.useRates': ' Share of each age group receiving home care in the base year; one entry per population group.',
  'homeCare.hoursPerRecipientPerWeek': ' Visited hours per recipient per week.',
  'homeCare.undeliveredShare': ' Share of visited hours not delivered ("cold hours").',
  'homeCare.userTimeShare': ' Share of paid staff hours spent with the citizen (brugertid).',
  'homeCare.wageCostPerPaidHourKr': ' Wage cost per paid hour, base-year prices (kr).',
  careHomes: ' Care homes (plejeboliger): places, length of stay and the waiting guarantee.',
  'careHomes.homes':
    " Places on the first day. The applicants a year default to as many as today's residents leave\n (applicantsPerCitizenPerYear), so more places here also means more applicants: to add places\n later, give a home capacityChanges: [{ from: '2027-01-01', places: 120 }] instead.",
  'careHomes.stay': ' Length of stay: a constant exit rate, or a mixture of short and long stays (means in years).',
  'careHomes.guaranteeDays':
    ' The waiting guarantee in days; beyond it the citizen is placed externally at externalKrPerDay.',
  specialised: ' The specialised adult social area (§107/§108/§85): cases with heavy-tailed yearly costs.',
  interventions: ' Interventions, each changing one driver from a date with a ramp.',
  strategies:
    " The ways of steering compared: frame, demographicFrame, hybrid, activity (the command line's\n --strategies picks among them).",
};

/**
 * A scenario as commented YAML, headed by the `yaml-language-server` schema line.
 *
 * @param scenario - the scenario input (a preset)
 * @param options - the preset's name and the JSON Schema's address
 * @returns the file's text
 */
export function starterYaml(scenario: unknown, options: { readonly preset: string; readonly schema: string }): string {
  const doc = new Document(scenario);
  visit(doc, {
    Pair(_key, pair, path) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const names = path.filter((n) => isPair(n)).map((n) => String((n as { key: { value: unknown } }).key.value));
      const comment = COMMENTS[[...names, String(pair.key.value)].join('.')];
      if (comment !== undefined) pair.key.commentBefore = comment;
    },
  });
  // Short lists and distributions on one line, as a person writes them.
  visit(doc, {
    Map(_key, node) {
      if (isMap(node) && node.items.length <= 4 && node.items.every((p) => isScalar(p.value))) node.flow = true;
    },
  });
  doc.commentBefore = [
    ` yaml-language-server: $schema=${options.schema}`,
    ` A carebudget scenario, started from the preset ${options.preset}. Check it with`,
    ' `carebudget validate FILE` and run it with `carebudget run FILE`.',
    ' Money in kr (base-year prices unless a field says otherwise), shares as fractions, rates a year.',
  ].join('\n');
  doc.comment = samplingExample(scenario);
  return doc.toString({ lineWidth: 110 });
}

/**
 * A commented-out `sampling` section for the end of the starter, naming the scenario's own
 * inputs drawn once per path (those given as distributions), so that removing the `#` of its
 * lines gives a valid section.
 */
function samplingExample(scenario: unknown): string {
  const drawn = inputGroupsOf(scenario)
    .scalars.filter((s) => typeof s.distribution !== 'number')
    .map((s) => s.name);
  const section = [' sampling:', '   method: latinHypercube  # or random (the default)'];
  if (drawn.length >= 2) {
    section.push(
      '   correlations:  # Spearman rank correlations: one number for every pair, or a full matrix',
      `     - inputs: [${drawn.slice(0, 2).join(', ')}]`,
      '       rank: 0.5',
    );
  }
  const lines = [
    ` How the inputs drawn once per path are sampled (optional: to use it, remove the first # of the next ${section.length} lines).`,
    ...section,
  ];
  if (drawn.length > 0)
    lines.push(' The inputs this scenario draws once per path:', ...drawn.map((name) => `   ${name}`));
  return lines.join('\n');
}
