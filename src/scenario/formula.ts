import { OptionError, sharedErrorClass } from '../errors';

/** Parses a formula's text into mathjs's expression tree (see `formulaParser.ts`). */
type FormulaParse = (text: string) => unknown;

let parseFormula: FormulaParse | undefined;

/**
 * Installs the formula parser: mathjs's `parse`, built in `formulaParser.ts`. The module that
 * validates scenarios installs it when it loads; a worker thread installs it only for a scenario
 * with formulas, so a worker without them never loads mathjs.
 *
 * @internal
 */
export function useFormulaParser(parse: FormulaParse): void {
  parseFormula = parse;
}

/** The functions a formula may call, with their least and most numbers of arguments. */
const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = Object.assign(
  Object.create(null) as Record<string, readonly [number, number]>,
  {
    abs: [1, 1],
    exp: [1, 1],
    log: [1, 2],
    sqrt: [1, 1],
    pow: [2, 2],
    min: [1, 100],
    max: [1, 100],
  },
);
/** The operators a formula may use (mathjs's names for + - * / ^, unary - and +; `5%` is 5/100). */
const OPERATORS: ReadonlySet<string> = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'unaryMinus',
  'unaryPlus',
]);
/** Constants every formula knows. */
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

/** The longest formula accepted (characters). */
export const MAX_FORMULA_LENGTH = 1000;
/** The deepest nesting of brackets accepted (mathjs's parser recurses, and a few hundred levels exhaust the stack). */
const MAX_NESTING = 40;

/** What a user may not write, by mathjs node type. */
const REFUSED: Readonly<Record<string, string>> = {
  AccessorNode: 'access to a property or element (a.b, a[1]) is not allowed',
  IndexNode: 'indexing (a[1]) is not allowed',
  AssignmentNode: 'assignment (x = ...) is not allowed',
  FunctionAssignmentNode: 'defining a function (f(x) = ...) is not allowed',
  ObjectNode: 'objects ({a: 1}) are not allowed',
  ArrayNode: 'lists and matrices ([1, 2]) are not allowed',
  BlockNode: 'several expressions (separated by ; or a new line) are not allowed: write one expression',
  RangeNode: 'ranges (a:b) are not allowed',
  ConditionalNode: 'conditions (a ? b : c) are not allowed: use min and max',
  RelationalNode: 'comparisons are not allowed',
};

/**
 * A formula parsed and checked once, evaluated as often as needed.
 *
 * @category Scenario
 */
export interface CompiledFormula {
  /** The formula as written. */
  readonly text: string;
  /** The parameters and variables it uses, sorted. */
  readonly names: readonly string[];
  /**
   * The formula's value for the given parameters and variables.
   *
   * @param scope - a finite number for each of `names` (others are ignored)
   * @param year - the calendar year evaluated, named in an error (optional)
   * @returns a finite number
   * @throws {@link FormulaError} when the value is not a finite number (division by zero, the
   *   logarithm of a negative number, overflow)
   * @throws {@link OptionError} when the scope lacks one of `names` or gives a value that is not
   *   a finite number
   */
  evaluate(scope: Readonly<Record<string, number>>, year?: number): number;
}

/**
 * The outcome of {@link compileFormula}: the compiled formula, or every problem found.
 *
 * @category Scenario
 */
export type FormulaCompilation =
  | { readonly ok: true; readonly formula: CompiledFormula }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Thrown when a formula's value is not a finite number, or not what its field needs (a negative
 * trend factor). It names the field, the year (where known), the value and the parameters.
 *
 * @category Errors
 */
export class FormulaError extends RangeError {
  /** Always `INVALID_FORMULA_VALUE`. */
  readonly code = 'INVALID_FORMULA_VALUE' as const;
  /** The formula's field, for example `homeCare.useRateTrend.formula`. */
  readonly field: string;
  /** The value the formula gave. */
  readonly value: number;
  /** The parameters and variables it was evaluated at. */
  readonly scope: Readonly<Record<string, number>>;
  /** The calendar year, where known. */
  readonly year?: number;

  /**
   * @param message - what went wrong, for people
   * @param fields - the field, the value, the scope and the year
   */
  constructor(
    message: string,
    fields: {
      readonly field: string;
      readonly value: number;
      readonly scope: Readonly<Record<string, number>>;
      readonly year?: number;
    },
  ) {
    super(message);
    this.name = 'FormulaError';
    this.field = fields.field;
    this.value = fields.value;
    this.scope = fields.scope;
    if (fields.year !== undefined) this.year = fields.year;
  }
}
sharedErrorClass(FormulaError, 'FormulaError');

/**
 * A scope as text for messages: `h = 0.01, t = 3`.
 *
 * @internal
 */
export function describeScope(scope: Readonly<Record<string, number>>, names: readonly string[]): string {
  return names.map((n) => `${n} = ${String(scope[n])}`).join(', ');
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Words mathjs's parser reads as keywords, operators or literals, never as a parameter's name. */
const PARSER_WORDS: readonly string[] = [
  'end',
  'mod',
  'to',
  'in',
  'and',
  'or',
  'xor',
  'not',
  'true',
  'false',
  'null',
  'undefined',
  'NaN',
  'Infinity',
];

/**
 * Why a name cannot be a formula's parameter or variable, or undefined when it can: it must be a
 * plain identifier and not one of the formula's functions or constants.
 *
 * @param name - the proposed name
 * @returns the reason, or undefined
 * @example
 * ```ts
 * formulaNameProblem('healthyAgeing'); //=> undefined
 * formulaNameProblem('exp'); //=> '"exp" is a function or constant of formulas; choose another name'
 * ```
 * @category Scenario
 */
export function formulaNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return `"${name}" is not a plain name: expected a letter followed by letters, digits or _`;
  if (PARSER_WORDS.includes(name))
    return `"${name}" is a word the formula parser reserves (${PARSER_WORDS.join(', ')}); choose another name`;
  if (name in FUNCTIONS || Object.hasOwn(CONSTANTS, name))
    return `"${name}" is a function or constant of formulas; choose another name`;
  if (name in Object.prototype || name === 'prototype')
    return `"${name}" is reserved (a property of every object); choose another name`;
  return undefined;
}

/** The deepest nesting of brackets in a text. */
function nestingOf(text: string): number {
  let depth = 0;
  let most = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') most = Math.max(most, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return most;
}

/** A mathjs node, as far as the checks read it. */
interface AnyNode {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly fn?: unknown;
  readonly op?: string;
  readonly args?: readonly AnyNode[];
  readonly content?: AnyNode;
}

/** Checks a parsed formula node by node, collecting problems and the names used. */
function checkNode(
  node: AnyNode,
  allowed: ReadonlySet<string>,
  allowedList: string,
  used: Set<string>,
  problems: string[],
): void {
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v === 'string')
        problems.push(`text ("${v}") is not allowed: a formula is made of numbers, names and arithmetic`);
      else if (typeof v !== 'number') problems.push(`the value ${String(v)} is not allowed: only numbers`);
      else if (!Number.isFinite(v)) problems.push(`the number ${String(v)} is too large`);
      return;
    }
    case 'SymbolNode': {
      const name = node.name ?? '';
      if (allowed.has(name)) used.add(name);
      else if (!Object.hasOwn(CONSTANTS, name)) {
        problems.push(
          name in FUNCTIONS
            ? `"${name}" is a function: call it as ${name}(...)`
            : `unknown name "${name}"; the names allowed are ${allowedList}`,
        );
      }
      return;
    }
    case 'OperatorNode': {
      if (!OPERATORS.has(String(node.fn)))
        problems.push(`the operator "${node.op ?? ''}" is not allowed; use + - * / ^ and parentheses`);
      for (const a of node.args ?? []) checkNode(a, allowed, allowedList, used, problems);
      return;
    }
    case 'ParenthesisNode':
      if (node.content !== undefined) checkNode(node.content, allowed, allowedList, used, problems);
      return;
    case 'FunctionNode': {
      const fn = node.fn as AnyNode | undefined;
      const functions = Object.keys(FUNCTIONS).join(', ');
      if (fn === undefined || fn.type !== 'SymbolNode') {
        problems.push(
          `only a function called by its name may be called (${functions}); calling the result of an expression is not allowed`,
        );
        if (fn !== undefined) checkNode(fn, allowed, allowedList, used, problems);
      } else {
        const name = fn.name ?? '';
        const arity = FUNCTIONS[name];
        const n = node.args?.length ?? 0;
        if (arity === undefined)
          problems.push(`the function "${name}" is not allowed; the functions allowed are ${functions}`);
        else if (n < arity[0] || n > arity[1])
          problems.push(
            `${name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument${arity[1] === 1 ? '' : 's'}; received ${n}`,
          );
      }
      for (const a of node.args ?? []) checkNode(a, allowed, allowedList, used, problems);
      return;
    }
    default:
      problems.push(
        REFUSED[node.type] ??
          `${node.type} is not allowed: a formula is made of numbers, names, + - * / ^, parentheses and the functions ${Object.keys(FUNCTIONS).join(', ')}`,
      );
  }
}

/**
 * Parses and checks a formula once: a sandboxed arithmetic expression of named parameters and
 * variables (by default the year `t`), for example `rate0 * (1 - healthyAgeing)^t`.
 *
 * A formula may use numbers, the declared names, `pi` and `e`, the operators + - * / ^ (and unary
 * minus and plus), parentheses, and the functions abs, exp, log (`log(x)` or `log(x, base)`),
 * sqrt, pow, min and max. Everything else mathjs can parse is refused before anything is
 * evaluated: property access, indexing, assignment, function definitions, objects, lists,
 * strings, ranges, several expressions, and every other function (so `import`, `evaluate`,
 * `parse`, `createUnit`, `simplify` and the like can neither be called nor reached). Formulas are
 * at most {@link MAX_FORMULA_LENGTH} characters with brackets nested at most 40 deep.
 *
 * @param text - the formula
 * @param options - `parameters`: the names of the formula's parameters; `variables`: the names
 *   of its variables (default `['t']`); `field`: the formula's field, named in errors
 * @returns `{ ok: true, formula }`, or `{ ok: false, problems }` with every problem found
 * @throws never: problems are returned
 * @example
 * ```ts
 * const c = compileFormula('(1 - h)^t', { parameters: ['h'], field: 'trend' });
 * c.ok && c.formula.evaluate({ h: 0.5, t: 2 }); //=> 0.25
 * compileFormula('h * x', { parameters: ['h'], field: 'trend' });
 * //=> { ok: false, problems: ['unknown name "x"; the names allowed are h, t, pi, e'] }
 * ```
 * @category Scenario
 */
export function compileFormula(
  text: string,
  options: { readonly parameters: readonly string[]; readonly variables?: readonly string[]; readonly field: string },
): FormulaCompilation {
  const declared = [...options.parameters, ...(options.variables ?? ['t'])];
  const problems: string[] = [];
  if (typeof text !== 'string') return { ok: false, problems: [`expected a formula as text; received ${typeof text}`] };
  for (const name of declared) {
    const p = formulaNameProblem(name);
    if (p !== undefined) problems.push(p);
  }
  const seen = new Set<string>();
  for (const name of declared) {
    if (seen.has(name)) problems.push(`the name "${name}" is declared twice`);
    seen.add(name);
  }
  if (text.trim() === '') problems.push('expected a formula, for example (1 - h)^t');
  else if (text.length > MAX_FORMULA_LENGTH)
    problems.push(`expected a formula of at most ${MAX_FORMULA_LENGTH} characters; this one has ${text.length}`);
  else if (nestingOf(text) > MAX_NESTING)
    problems.push(
      `expected brackets nested at most ${MAX_NESTING} deep; this formula nests them ${nestingOf(text)} deep`,
    );
  if (problems.length > 0) return { ok: false, problems };
  let root: AnyNode;
  try {
    if (parseFormula === undefined)
      throw new OptionError(
        `${options.field}: the formula parser is not loaded (import carebudget, or call installFormulaParser from its formulaParser module first)`,
        { option: options.field, received: text },
      );
    root = parseFormula(text) as unknown as AnyNode;
  } catch (e) {
    const message =
      e instanceof RangeError ? 'the formula is nested too deeply' : e instanceof Error ? e.message : String(e);
    return { ok: false, problems: [`cannot read the formula: ${message}`] };
  }
  const allowed = new Set(declared);
  const allowedList = [...declared, ...Object.keys(CONSTANTS)].join(', ');
  const used = new Set<string>();
  try {
    checkNode(root, allowed, allowedList, used, problems);
  } catch {
    problems.push('the formula is nested too deeply');
  }
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  const names = [...used].sort();
  const compiled = (root as unknown as { compile(): { evaluate(scope: Map<string, number>): unknown } }).compile();
  const scope = new Map<string, number>(Object.entries(CONSTANTS));
  const field = options.field;
  const formula: CompiledFormula = {
    text,
    names,
    evaluate(values, year) {
      for (const name of names) {
        const v = values[name];
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new OptionError(`${field}: expected a finite number for "${name}"; received ${String(v)}`, {
            option: `${field}: ${name}`,
            received: v,
          });
        scope.set(name, v);
      }
      let value: unknown;
      try {
        value = compiled.evaluate(scope);
      } catch {
        value = NaN;
      }
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      const shown = typeof value === 'number' ? value : NaN;
      const at = year === undefined ? '' : ` in ${year}`;
      throw new FormulaError(
        `${field}: the formula ${text} gave ${typeof value === 'number' ? String(value) : `a ${typeof value}, not a number`}${at} (${describeScope(values, names) || 'no parameters'}); expected a finite number (look for a division by zero, the logarithm or root of a negative number, or an overflow)`,
        {
          field,
          value: shown,
          scope: Object.fromEntries(names.map((n) => [n, values[n]!])),
          ...(year === undefined ? {} : { year }),
        },
      );
    },
  };
  return { ok: true, formula };
}
