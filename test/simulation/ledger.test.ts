import { describe, expect, it } from 'vitest';
import {
  buildModel,
  createWorld,
  deriveStream,
  LookAheadError,
  parseScenario,
  streamKey,
  type ServiceInstance,
} from '../../src/index';
import { Ledger } from '../../src/simulation/ledger';
import { lejreHomeCare } from '../fixtures';

const model = buildModel(parseScenario({ ...lejreHomeCare(), paths: 1 }));
const { timeline, baselineWorld } = model;
const P = timeline.periodCount;
const ppy = timeline.periodsPerYear;

/** A ledger with `lines` activity lines whose history holds values of very different sizes, so that the order of a sum shows in its last bits. */
function filledLedger(lines: number, seed: number): Ledger {
  const service: ServiceInstance = { baseline: emptyBaseline(), reset() {}, step() {} };
  const L = new Ledger(
    timeline,
    service,
    baselineWorld,
    createWorld(baselineWorld.groupIds, timeline.horizonYears),
    0,
    lines,
  );
  L.resetPath();
  const rng = deriveStream(streamKey(seed, 'ledger-test'), 0);
  const h = L.history;
  const arrays = [
    h.costKr,
    h.neededUnits,
    h.orderedUnits,
    h.deliveredUnits,
    ...h.lines.flatMap((l) => [l.orderedUnits, l.deliveredUnits]),
  ];
  for (const a of arrays) for (let p = 0; p < P; p++) a[p] = (rng() - 0.3) * 10 ** Math.floor(rng() * 12);
  return L;
}

function emptyBaseline(): ServiceInstance['baseline'] {
  const n = timeline.horizonYears + 1;
  return {
    neededUnits: new Float64Array(n),
    orderedUnits: new Float64Array(n),
    deliveredUnits: new Float64Array(n),
    costKr: new Float64Array(n),
  };
}

/** The sum of a[from..to) in period order: what the ledger's sums must equal bit for bit. */
function plain(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let p = from; p < to; p++) s += a[p]!;
  return s;
}

describe('the ledger keeps running sums of the year', () => {
  it('follow-ups through the year, settlements and reads of other spans equal the plain sums bit for bit', () => {
    for (const lines of [1, 3]) {
      const L = filledLedger(lines, 7 + lines);
      const h = L.history;
      const rng = deriveStream(streamKey(11, 'ledger-queries'), lines);
      let checked = 0;
      for (let known = 0; known <= P; known++) {
        L.knownPeriods = known;
        const yearStart = Math.min(Math.floor(Math.max(known - 1, 0) / ppy) * ppy, P);
        // The running span (the year so far), a span of an earlier year, and an arbitrary one.
        const spans: [number, number][] = [[yearStart, known]];
        const a = Math.floor(rng() * (known + 1));
        spans.push([a, a + Math.floor(rng() * (known - a + 1))]);
        if (yearStart >= ppy) spans.push([yearStart - ppy, yearStart]);
        spans.push([yearStart, known]);
        for (const [from, to] of spans) {
          expect(Object.is(L.actualSum('costKr', from, to), plain(h.costKr, from, to))).toBe(true);
          expect(Object.is(L.actualSum('deliveredUnits', from, to), plain(h.deliveredUnits, from, to))).toBe(true);
          for (let l = 0; l < lines; l++) {
            const line = h.lines[l]!;
            expect(Object.is(L.actualLineSum(l, 'orderedUnits', from, to), plain(line.orderedUnits, from, to))).toBe(
              true,
            );
            expect(
              Object.is(L.actualLineSum(l, 'deliveredUnits', from, to), plain(line.deliveredUnits, from, to)),
            ).toBe(true);
          }
          checked++;
        }
        if (known > 0 && known % ppy === 0) {
          const out = new Float64Array(4);
          L.yearSums(known - ppy, known, out, 0);
          expect(Array.from(out)).toEqual([
            plain(h.costKr, known - ppy, known),
            plain(h.neededUnits, known - ppy, known),
            plain(h.orderedUnits, known - ppy, known),
            plain(h.deliveredUnits, known - ppy, known),
          ]);
        }
      }
      expect(checked).toBeGreaterThan(3 * P);
    }
  });

  it('a sum reaching past the known periods is a look-ahead, and a new path starts the sums afresh', () => {
    const L = filledLedger(1, 3);
    L.knownPeriods = ppy + 2;
    expect(() => L.actualSum('costKr', ppy, ppy + 3)).toThrow(LookAheadError);
    const before = L.actualSum('costKr', ppy, ppy + 2);
    L.resetPath();
    L.knownPeriods = ppy + 2;
    // The history is cleared for the new path: its sums are 0, not the last path's.
    expect(before).not.toBe(0);
    expect(L.actualSum('costKr', ppy, ppy + 2)).toBe(0);
    expect(L.actualSum('costKr', 0, ppy)).toBe(0);
  });
});
