import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { lejre2034, simulate, summaryRows } from '../../src/index';

const root = join(__dirname, '..', '..');

describe('the notebook page', () => {
  it("shows the example that is run here, word for word (import from 'carebudget')", () => {
    const example = readFileSync(join(root, 'examples', 'notebook.ts'), 'utf8').replace(
      "from '../src/index'",
      "from 'carebudget'",
    );
    const page = readFileSync(join(root, 'docs', 'notebooks.md'), 'utf8');
    const block = page.match(/<!-- example: examples\/notebook\.ts -->\n```ts\n([\s\S]*?)```/);
    expect(block?.[1]).toBe(example);
  });

  it('its rows feed a Vega-Lite chart that compiles, with the rows as data', async () => {
    const table = vi.spyOn(console, 'table').mockImplementation(() => undefined);
    const { spec } = await import('../../examples/notebook');
    expect(table).toHaveBeenCalledTimes(1);
    table.mockRestore();
    const rows = summaryRows(simulate({ ...lejre2034(), paths: 1000 }), { figures: ['treasuryDeviationKr'] });
    expect(spec.data.values.map((v) => v.p50)).toEqual(rows.map((r) => r.p50 / 1e6));
    const vega = compile(spec as unknown as TopLevelSpec).spec;
    expect((vega.data?.find((d) => d.name === 'source_0') as { values: unknown[] }).values).toHaveLength(rows.length);
  });
});
