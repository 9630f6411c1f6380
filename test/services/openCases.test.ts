import { describe, expect, it } from 'vitest';
import { FiveLargest, OpenCases } from '../../src/services/openCases';

/** A seeded generator of uniforms in [0, 1), for the random histories below. */
function uniforms(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The five largest of the costs, largest first, 0 where there are fewer: counted afresh. */
const counted = (open: readonly number[]) => [...open, 0, 0, 0, 0, 0].sort((a, b) => b - a).slice(0, 5);

/** Costs in these tests are whole multiples of 2⁻²⁰ below 2⁴⁰: their sums are exact in BigInt units of 2⁻²⁰. */
const UNIT = 2 ** 20;
/** The exact sum of the costs, correctly rounded to a double (Number of a BigInt rounds to nearest). */
const exactSum = (costs: readonly number[]) => Number(costs.reduce((a, c) => a + BigInt(c * UNIT), 0n)) / UNIT;

describe('the five largest costs, kept from period to period', () => {
  it('are those counted afresh after every period of joins and leaves, ties and fewer than five cases included', () => {
    const uniform = uniforms(7);
    const top = new FiveLargest();
    // Costs from a few values, so that ties are common.
    const draw = () => [1, 2, 3, 5, 8][Math.floor(uniform() * 5)]! * (uniform() < 0.2 ? 10 : 1);
    let open: number[] = [];
    top.clear();
    let fewer = 0;
    for (let period = 0; period < 400; period++) {
      // Some cases leave (most periods none or one, some periods most of them), in their order.
      const leaveChance = period % 50 === 49 ? 0.8 : 0.03;
      const kept: number[] = [];
      for (const c of open) {
        if (uniform() < leaveChance) top.leave(c);
        else kept.push(c);
      }
      const joining = Array.from({ length: Math.floor(uniform() * 3) }, draw);
      for (const c of joining) top.join(c);
      open = [...kept, ...joining];
      const costs = Float64Array.from(open);
      expect([...top.of(costs, costs.length)], `period ${period}`).toEqual(counted(open));
      if (open.length < 5) fewer++;
    }
    // The history passed through periods with fewer than five cases.
    expect(fewer).toBeGreaterThan(0);
  });
  it('find the next largest when the largest leave one by one, past every cost they keep', () => {
    const top = new FiveLargest();
    let open = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) + 1);
    top.clear();
    expect([...top.of(Float64Array.from(open), open.length)]).toEqual([40, 39, 38, 37, 36]);
    for (let largest = 40; largest > 3; largest--) {
      top.leave(largest);
      open = open.filter((c) => c !== largest);
      expect([...top.of(Float64Array.from(open), open.length)], `after ${largest} left`).toEqual(counted(open));
    }
  });
});

describe('the open cases of a path', () => {
  it('find the five largest after a join that leaves out one of the sixteen kept, when those sixteen close', () => {
    const book = new OpenCases(Float64Array.of(10, 20, 30));
    book.clear();
    for (let i = 0; i < 16; i++) book.open(100 + i, 5, -1);
    book.fill(0);
    expect([...book.fiveLargest()]).toEqual([115, 114, 113, 112, 111]);
    // Neither joins the sixteen kept; then they all close, and the two are all that is open.
    book.open(1, 100, -1);
    book.open(2, 100, -1);
    expect(book.closeIn(0)).toBe(16);
    expect([...book.fiveLargest()]).toEqual([2, 1, 0, 0, 0]);
  });

  it('match the cases kept in order on path after path of the same book, past a thousand cases', () => {
    const uniform = uniforms(99);
    const P = 60;
    const periodEnd = new Float64Array(P);
    for (let p = 0, day = 0; p < P; p++) periodEnd[p] = day += 1 + Math.floor(uniform() * 40);
    const book = new OpenCases(periodEnd);
    const cost = () =>
      Math.round(UNIT * (uniform() < 0.3 ? [1, 2, 3][Math.floor(uniform() * 3)]! : 10 ** (uniform() * 7))) / UNIT;
    const last = periodEnd[P - 1]!;
    let largest = 0;
    for (let path = 0; path < 4; path++) {
      // The same book for every path, as the service keeps it: cleared, then filled anew.
      book.clear();
      let open: Case[] = [];
      // Even paths grow past 1,024 cases after own places are given; path 1 stops half-way.
      const start = path % 2 === 0 ? 600 : 20;
      for (let i = 0; i < start; i++) {
        const c = { cost: cost(), end: uniform() * last * 1.2 };
        book.open(c.cost, c.end, -1);
        open.push(c);
      }
      for (let p = 0; p < (path === 1 ? P / 2 : P); p++) {
        const t1 = periodEnd[p]!;
        expect(book.closeIn(p)).toBe(open.filter((c) => c.end <= t1).length);
        open = open.filter((c) => c.end > t1);
        for (let j = Math.floor(uniform() * (path % 2 === 0 ? 80 : 4)); j > 0; j--) {
          const c = { cost: cost(), end: t1 + uniform() * last };
          book.open(c.cost, c.end, p);
          open.push(c);
        }
        const places = Math.floor(uniform() * (open.length + 10));
        book.fill(places);
        largest = Math.max(largest, open.length);
        const own = open.slice(0, Math.min(places, open.length));
        expect([book.count, book.ownCount], `path ${path}, period ${p}`).toEqual([open.length, own.length]);
        expect(book.ownKr, `path ${path}, period ${p}: own sum`).toBe(exactSum(own.map((c) => c.cost)));
        expect(book.grossKr, `path ${path}, period ${p}: gross sum`).toBe(exactSum(open.map((c) => c.cost)));
        expect([...book.fiveLargest()], `path ${path}, period ${p}`).toEqual(counted(open.map((c) => c.cost)));
      }
    }
    // The arrays grew past their first 1,024 slots.
    expect(largest).toBeGreaterThan(1024);
  });

  /**
   * The cases as the specialised area's pass kept them: in order of start, those of the periods
   * before that end on or before a period's end leave in it, the new ones join after them, and
   * the first min(places, count) hold the own places.
   */
  interface Case {
    readonly cost: number;
    readonly end: number;
  }

  it('match the cases kept in order and summed exactly, period by period, in a random history', () => {
    const uniform = uniforms(2024);
    const P = 240;
    // Periods of 28 to 31 days, as months are, and now and then half a day more.
    const periodEnd = new Float64Array(P);
    for (let p = 0, day = 0; p < P; p++)
      periodEnd[p] = day += 28 + Math.floor(uniform() * 4) + (uniform() < 0.2 ? 0.5 : 0);
    const book = new OpenCases(periodEnd);
    // Costs of whole 2⁻²⁰ kr, from under a krone to about 10⁹ kr, so the exact sums are known.
    const cost = () => Math.round(UNIT * 10 ** (uniform() * 9.5 - 0.5)) / UNIT;
    let open: Case[] = [];
    const opened = (c: Case, from: number) => {
      book.open(c.cost, c.end, from);
      return c;
    };
    book.clear();
    for (let i = 0; i < 300; i++) open.push(opened({ cost: cost(), end: uniform() * periodEnd[P - 1]! * 1.3 }, -1));
    let ownPlacesBelowCases = 0;
    for (let p = 0; p < P; p++) {
      const t0 = p === 0 ? 0 : periodEnd[p - 1]!;
      const t1 = periodEnd[p]!;
      const leaving = open.filter((c) => c.end <= t1);
      expect(book.closeIn(p), `period ${p}: closed`).toBe(leaving.length);
      open = open.filter((c) => c.end > t1);
      // New cases, some of which end within their first period (they stay in it).
      const k = Math.floor(uniform() * 4);
      for (let j = 0; j < k; j++) {
        const start = t0 + uniform() * (t1 - t0);
        const draw = uniform();
        // Some end within their first period, some exactly on a period's last day.
        const end =
          draw < 0.1
            ? periodEnd[Math.min(P - 1, p + Math.floor(uniform() * 30))]!
            : start + (draw < 0.4 ? uniform() * 20 : uniform() * 4000);
        open.push(opened({ cost: cost(), end }, p));
      }
      // Places change now and then, sometimes below the cases, sometimes above.
      const places = Math.floor(140 + 100 * Math.sin(p / 17));
      book.fill(places);
      const own = open.slice(0, Math.min(places, open.length));
      const other = open.slice(own.length);
      if (own.length < places) ownPlacesBelowCases++;
      expect(book.count, `period ${p}: count`).toBe(open.length);
      expect(book.ownCount, `period ${p}: own`).toBe(own.length);
      expect(book.ownKr, `period ${p}: own sum`).toBe(exactSum(own.map((c) => c.cost)));
      expect(book.otherKr, `period ${p}: other sum`).toBe(exactSum(other.map((c) => c.cost)));
      expect(book.grossKr, `period ${p}: gross sum`).toBe(exactSum(open.map((c) => c.cost)));
      expect([...book.fiveLargest()], `period ${p}: five largest`).toEqual(counted(open.map((c) => c.cost)));
    }
    // The history had periods with more own places than cases, and cases left at its end.
    expect(ownPlacesBelowCases).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
  });

  it('sum exactly where a sum kept in order would lose what it adds and takes away', () => {
    const book = new OpenCases(Float64Array.of(30, 60, 90));
    book.clear();
    // 2⁵³ + 1 is not a double: in order, each 1 would be rounded away.
    book.open(2 ** 53, 45, -1);
    book.open(1, 100, -1);
    book.open(1, 100, -1);
    book.fill(0);
    expect(book.grossKr).toBe(2 ** 53 + 2);
    expect(book.closeIn(0)).toBe(0);
    expect(book.closeIn(1)).toBe(1);
    // Kept in order and taken away, the sum would be 0; exactly, it is the two cases left.
    expect(book.grossKr).toBe(2);
    expect(book.otherKr).toBe(2);
    expect(book.count).toBe(2);
  });

  it('close a case in its first period only if it opened before the periods; one that outlasts them never', () => {
    const book = new OpenCases(Float64Array.of(30, 60, 90));
    book.clear();
    book.open(5, 10, -1); // ends in period 0: closes there
    book.open(7, 10, 0); // opened in period 0 and ends in it: closes in period 1
    book.open(11, 60, 0); // ends on the last day of period 1: closes there
    book.open(13, 91, 0); // outlasts the horizon
    book.open(17, 95, 2); // opened in the last period: never closes
    book.fill(2);
    expect(book.ownKr).toBe(12);
    expect(book.closeIn(0)).toBe(1);
    book.fill(2);
    expect([book.ownKr, book.otherKr]).toEqual([18, 30]);
    expect(book.closeIn(1)).toBe(2);
    book.fill(2);
    expect([book.count, book.ownKr, book.otherKr]).toEqual([2, 30, 0]);
    expect(book.closeIn(2)).toBe(0);
  });
});
