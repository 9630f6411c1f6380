import type * as z from 'zod';
import { FIELD_ISSUE_CODES, ruleCodeOf, type ScenarioProblemCode } from './checks/codes';
import { RESERVED_KEYS, scenarioSchema, type Scenario } from './schema';
import { sharedErrorClass } from '../errors';

export type { ScenarioProblemCode, ScenarioRuleCode } from './checks/codes';

/**
 * One problem found in a scenario.
 *
 * @category Scenario
 */
export interface ScenarioProblem {
  /** Where: the path to the field, for example `["homeCare", "userTimeShare"]`. */
  readonly path: readonly (string | number)[];
  /** The path as text, for example `homeCare.userTimeShare` or `population.groups[0].start`. */
  readonly where: string;
  /** What was expected. */
  readonly message: string;
  /** The value received (`undefined` when the field was missing). */
  readonly received: unknown;
  /**
   * What kind of problem, for a program to switch on: a field's type or bounds (`INVALID_TYPE`,
   * `TOO_SMALL` ...), one of the scenario's rules (`DUPLICATE_ID`, `CORRELATION_NOT_DEFINITE`
   * ...), `TOO_DEEP` or `UNREADABLE_INPUT`; every code is listed in docs/errors.md. Codes are
   * stable; messages may be reworded.
   */
  readonly code: ScenarioProblemCode;
}

/**
 * Thrown by {@link parseScenario}: lists every problem in the scenario with its path, the value
 * received and what was expected.
 *
 * @category Scenario
 */
export class ScenarioError extends Error {
  /** Always `INVALID_SCENARIO`. */
  readonly code = 'INVALID_SCENARIO' as const;
  /** Every problem found, in the order of the scenario's fields. */
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    super(formatProblems(problems));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}
sharedErrorClass(ScenarioError, 'ScenarioError');

/** The result of {@link safeParseScenario}. @category Scenario */
export type SafeParseScenarioResult =
  { readonly success: true; readonly scenario: Scenario } | { readonly success: false; readonly error: ScenarioError };

/**
 * A path as the errors write it, for example `strategies[0].corridor`;
 * `empty` for the root. @internal
 */
export function pathText(path: readonly PropertyKey[], empty = '(scenario)'): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? empty : out;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    // A value too deep or cyclic to print.
    return Array.isArray(value) ? 'an array' : typeof value;
  }
}

function formatProblems(problems: readonly ScenarioProblem[]): string {
  const lines = problems.map((p) => `  - ${p.where}: ${p.message}; received ${show(p.received)}`);
  return `Invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/**
 * For a share or rate written as a percentage (28 where at most 1 is allowed), the hint to write
 * it as a fraction: Danish budgets and reports give such figures in %. Not for a correlation,
 * which is no percentage.
 */
function percentHint(issue: z.core.$ZodIssue, received: unknown, where: string): string {
  if (issue.code !== 'too_big' || issue.origin === 'array' || typeof received !== 'number') return '';
  if (/correlation|rank/i.test(where)) return '';
  const max = Number(issue.maximum);
  if (!(max > 0 && max <= 1 && received > 1 && received <= 100)) return '';
  return ` (a fraction: ${Number((received / 100).toPrecision(12))} for ${received} %)`;
}

function cleanMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
      return issue.issues.map((i) => cleanMessage(i)).join('; ') || issue.message;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `expected ${String(issue.discriminator)} to be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      }
      return issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** The value at `path` in plain data, or undefined where the path leaves it (own keys only). @internal */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Flattens zod issues into problems; a union reports the branch that came closest. */
function collect(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  root: unknown,
  out: ScenarioProblem[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch with a structural match (not a bare type mismatch at its root) and fewest issues.
      const ranked = issue.errors
        .map((branch) => ({
          branch,
          bare: branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0,
        }))
        .sort((a, b) => Number(a.bare) - Number(b.bare) || a.branch.length - b.branch.length);
      const best = ranked[0]!;
      if (best.bare) {
        out.push({
          path: path.map(keyOf),
          where: pathText(path),
          message:
            'expected a number or a distribution object such as { "dist": "pert", "min": 1, "mode": 2, "max": 4 }',
          received: valueAt(root, path),
          code: 'INVALID_TYPE',
        });
      } else {
        collect(best.branch, path, root, out);
      }
      continue;
    }
    const received =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => valueAt(root, [...path, k]))[0] : valueAt(root, path);
    out.push({
      path: path.map(keyOf),
      where: pathText(path),
      message: cleanMessage(issue) + percentHint(issue, received, pathText(path)),
      received,
      code: codeOf(issue),
    });
  }
}

/** A zod issue's code: its rule's own for a custom issue, else the issue's kind in capitals ({@link FIELD_ISSUE_CODES}). */
function codeOf(issue: z.core.$ZodIssue): ScenarioProblemCode {
  return (issue.code === 'custom' ? ruleCodeOf(issue.params) : undefined) ?? FIELD_ISSUE_CODES[issue.code];
}

function keyOf(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}

/**
 * Validates a scenario without throwing.
 *
 * @param input - untrusted input, for example the parsed JSON of a scenario file
 * @returns `{ success: true, scenario }` with every default filled in, or
 *   `{ success: false, error }` with every problem listed
 * @example
 * ```ts
 * const r = safeParseScenario({ name: 'x', baseYear: 2023, horizonYears: 0 });
 * r.success; //=> false
 * r.error.problems[0].where; //=> 'horizonYears'
 * ```
 * @category Scenario
 */
export function safeParseScenario(input: unknown): SafeParseScenarioResult {
  try {
    return parseChecked(input);
  } catch (e) {
    // Input built in code can still defeat reading (a getter that throws, a proxy): a problem, never a throw.
    const message = `expected plain data (objects, arrays, strings, numbers); reading the input failed: ${e instanceof Error ? e.message : String(e)}`;
    return {
      success: false,
      error: new ScenarioError([
        { path: [], where: pathText([]), message, received: undefined, code: 'UNREADABLE_INPUT' },
      ]),
    };
  }
}

function parseChecked(input: unknown): SafeParseScenarioResult {
  const problems = structuralProblems(input);
  // Too deep to check field by field without running out of stack: report that alone.
  if (problems.some((p) => p.code === 'TOO_DEEP')) return { success: false, error: new ScenarioError(problems) };
  const r = scenarioSchema.safeParse(input, { reportInput: true });
  if (r.success && problems.length === 0) return { success: true, scenario: r.data };
  if (!r.success) {
    const found: ScenarioProblem[] = [];
    collect(r.error.issues, [], input, found);
    // A reserved key is reported once, as reserved (not also as an unknown field).
    const reserved = new Set(problems.map((p) => p.where));
    problems.push(...found.filter((p) => !reserved.has(p.where)));
  }
  return { success: false, error: new ScenarioError(problems) };
}

/** How deep a scenario may nest: its deepest field (an empirical distribution's values) is 5 levels down. */
const MAX_DEPTH = 32;

/**
 * Problems zod cannot see: keys named `__proto__`, `constructor` or `prototype` anywhere (zod
 * drops a `__proto__` key of a record silently), and nesting deeper than {@link MAX_DEPTH} (or
 * a cycle), which would exhaust the stack. Walks the input iteratively, with an explicit stack.
 */
function structuralProblems(input: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) {
      problems.push({
        path,
        where: pathText(path),
        message: `expected at most ${MAX_DEPTH} levels of nesting (a scenario nests 5 deep; this input nests deeper or refers to itself)`,
        received: Array.isArray(value) ? 'an array' : 'an object',
        code: 'TOO_DEEP',
      });
      break;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (RESERVED_KEYS.includes(key)) {
        problems.push({
          path: [...path, key],
          where: pathText([...path, key]),
          message: `"${key}" is a reserved name and cannot be a key (it would reach Object.prototype)`,
          received: (value as Record<string, unknown>)[key],
          code: 'RESERVED_KEY',
        });
      } else {
        stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return problems;
}

/**
 * Validates a scenario and fills in its defaults.
 *
 * @param input - untrusted input, for example the parsed JSON of a scenario file
 * @returns the validated scenario
 * @throws {@link ScenarioError} listing every problem with its path, the value received and
 *   what was expected
 * @example
 * ```ts
 * parseScenario({ ...lejre2034(), horizonYears: 0 });
 * // throws ScenarioError:
 * // Invalid scenario (1 problem):
 * //   - horizonYears: expected >= 1; received 0
 * ```
 * @category Scenario
 */
export function parseScenario(input: unknown): Scenario {
  const r = safeParseScenario(input);
  if (!r.success) throw r.error;
  return r.scenario;
}
