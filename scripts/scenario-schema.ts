/**
 * Writes scenario.schema.json, the JSON Schema of a scenario file, from the zod schema (zod 4's
 * toJSONSchema, the input side: fields with defaults are optional). Shipped in the package as
 * `carebudget/scenario.schema.json`; files written by `carebudget init` point editors at it.
 * A test keeps the file equal to what this script makes.
 *
 * Run with `npm run schema`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { scenarioSchema } from '../src/scenario/schema';
import { VERSION } from '../src/version';

/** The JSON Schema of a scenario file, as text. */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    reused: 'ref',
  });
  const described = {
    $schema: schema.$schema,
    $id: `https://unpkg.com/carebudget@${VERSION}/scenario.schema.json`,
    title: 'carebudget scenario',
    description:
      'A scenario file of carebudget (YAML or JSON). Checks that need more than one field (use rates against population groups, positive definite correlations, ...) are made by `carebudget validate`.',
    ...schema,
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('../scenario.schema.json', import.meta.url));
  writeFileSync(file, scenarioJsonSchemaText());
  console.log(`wrote ${file}`);
}
