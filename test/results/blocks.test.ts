import { describe, expect, it } from 'vitest';
import {
  mergeSummaries,
  ResultError,
  simulate,
  simulateSummary,
  summarize,
  toSummaryResult,
  type SummaryResult,
} from '../../src/index';
import { lejreHomeCare } from '../fixtures';

// 1,050 paths in blocks of 100: ten whole blocks and a short last one.
const scenario = { ...lejreHomeCare(), paths: 1050 };
const B = 100;
const part = (pathStart: number, paths: number): SummaryResult =>
  toSummaryResult(simulate(scenario, { pathStart, paths }), { blockPaths: B });
/** A part as it comes back from a file. */
const viaJson = (s: SummaryResult): SummaryResult => JSON.parse(JSON.stringify(s)) as SummaryResult;
/** Everything a reader reads, as text: JSON keeps every double's bits (and tells -0 from 0 nowhere here). */
const cellsOf = (s: SummaryResult) =>
  JSON.stringify([s.pathStart, s.pathCount, s.cells, s.pairs, s.metricKeys, s.metricCells, s.nodes]);
/** Parts of the sizes given, one after the other from `start`. */
const split = (start: number, sizes: readonly number[]): SummaryResult[] => {
  let at = start;
  return sizes.map((n) => {
    const p = part(at, n);
    at += n;
    return p;
  });
};

describe('streaming summaries from blocks', () => {
  const whole = part(0, 1050);

  it('keep the largest whole nodes of the block tree, and their fold as the cells', () => {
    expect(whole.version).toBe(2);
    expect(whole.blockPaths).toBe(B);
    // Blocks 0-10: nodes (3, 0) = blocks 0-7, (1, 4) = blocks 8-9, (0, 10) = the short block.
    expect(whole.nodes!.map((n) => [n.level, n.index, n.pathStart, n.pathCount])).toEqual([
      [3, 0, 0, 800],
      [1, 4, 800, 200],
      [0, 10, 1000, 50],
    ]);
    expect(whole.nodes!.reduce((a, n) => a + n.cells[0]!.n, 0)).toBe(1050);
    expect(whole.cells[0]!.n).toBe(1050);
  });

  // Each split in a test of its own (a split simulates the run once more).
  it.each([
    ['2 parts', [300, 750]],
    ['3 uneven parts', [100, 600, 350]],
    ['7 parts', [200, 100, 100, 300, 100, 200, 50]],
  ] as const)('merge bit for bit into the summary made at once: %s', (_, sizes) => {
    const parts = split(0, sizes);
    // From files, in any order.
    const merged = mergeSummaries([...parts].reverse().map(viaJson));
    expect(merged.nodes).toBeDefined();
    expect(cellsOf(merged)).toBe(cellsOf(whole));
    expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
  });

  it('merge bit for bit in stages, and for a range that starts and ends inside a block', () => {
    const [a, b, c] = split(0, [400, 300, 350]);
    expect(cellsOf(mergeSummaries([a!, mergeSummaries([b!, c!])]))).toBe(cellsOf(whole));
    expect(cellsOf(mergeSummaries([mergeSummaries([a!, b!]), c!]))).toBe(cellsOf(whole));
    // Paths 250-1049: a short first block (250-299), cut at 300, 500 and 900.
    const inner = part(250, 800);
    expect(inner.nodes!.map((n) => [n.level, n.index])).toEqual([
      [1, 1],
      [2, 1],
      [1, 4],
      [0, 10],
    ]);
    expect(cellsOf(mergeSummaries(split(250, [50, 200, 400, 150])))).toBe(cellsOf(inner));
  });

  it('merge parts cut inside a block as before, without nodes: counts, extremes and exceedances exact', () => {
    const parts = split(0, [550, 500]);
    const merged = mergeSummaries(parts);
    expect(merged.nodes).toBeUndefined();
    expect(merged.pathCount).toBe(1050);
    merged.cells.forEach((c, i) => {
      const w = whole.cells[i]!;
      expect([c.n, c.min, c.max, ...c.exceed]).toEqual([w.n, w.min, w.max, ...w.exceed]);
      if (c.n > 0) expect(c.mean).toBeCloseTo(w.mean, 6 - Math.max(0, Math.round(Math.log10(Math.abs(w.mean)))));
    });
    // The plain merge is not the tree's: some cell differs in its last bits (what the tree prevents).
    expect(JSON.stringify(merged.cells)).not.toBe(JSON.stringify(whole.cells));
    // Merging it further stays a plain merge.
    expect(mergeSummaries([merged, part(1050, 100)]).nodes).toBeUndefined();
  });

  it('read summaries of version 1 (no blocks) and refuse an unknown version by name', () => {
    const [a, b] = split(0, [500, 550]).map((p) => {
      const { nodes: _n, blockPaths: _b, ...old } = p;
      return { ...old, version: 1 as const };
    });
    const merged = mergeSummaries([a!, b!]);
    expect(merged.cells[0]!.n).toBe(1050);
    expect(merged.nodes).toBeUndefined();
    expect(summarize(merged, { figures: ['treasuryDeviationPct'] })[0]!.n).toBe(1050);
    const future = { ...whole, version: 3 } as unknown as SummaryResult;
    expect(() => mergeSummaries([future])).toThrow(ResultError);
    expect(() => mergeSummaries([future])).toThrow(/version 1 or 2; received version 3/);
    expect(() => toSummaryResult(simulate(scenario, { paths: 10 }), { blockPaths: 0 })).toThrow(
      /blockPaths must be a whole number >= 1; received 0/,
    );
    // The same check, and the same error, wherever a streaming run takes the option.
    for (const blockPaths of [0, 2.5])
      expect(() => simulateSummary(scenario, { paths: 10, blockPaths })).toThrow(
        new RegExp(`^blockPaths must be a whole number >= 1; received ${blockPaths}$`),
      );
  });
});

describe('simulateSummary in chunks of any size', () => {
  const reference = simulateSummary(scenario, { blockPaths: B, chunkSize: 1050 });

  it.each([130, 250, 400])('gives the same bits with chunks of %i paths', (chunkSize) => {
    expect(JSON.stringify(simulateSummary(scenario, { blockPaths: B, chunkSize }))).toBe(JSON.stringify(reference));
  });

  it('is the merge of the parts run on their own', () => {
    expect(cellsOf(reference)).toBe(cellsOf(part(0, 1050)));
  });
});
