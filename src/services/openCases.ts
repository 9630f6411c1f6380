/**
 * The open cases of the specialised area on one path, with the sums a period needs kept as cases
 * come and go (see {@link OpenCases}).
 *
 * @internal
 * @module
 */

/** How many of the largest costs {@link FiveLargest} keeps: a few more than five, so that a case among them can leave without a count. */
const KEPT = 16;

/**
 * The five largest costs of the open cases, largest first, kept from period to period.
 *
 * It keeps the largest {@link KEPT} costs (all of them when there are no more), largest first:
 * every open case it does not keep costs no more than the smallest it keeps. A new case enters
 * them if it costs more than the smallest (the smallest then drops out if they are full); a case
 * that leaves is taken out of them if it costs at least the smallest (one of equal cost if it
 * was not itself kept: the same values either way). Only when fewer than five are left and
 * there are other cases are they counted again over the open cases, which happens about once a
 * path. Values whatever the order they were met in, so the same numbers as counting them in
 * every period, for a fraction of the work.
 *
 * @internal
 */
export class FiveLargest {
  /** The largest costs, largest first: the first `kept`. */
  private readonly values = new Float64Array(KEPT);
  private kept = 0;
  /** Whether the values kept are every open case's. */
  private complete = false;
  /** Whether they must be counted again before they are read. */
  private mustCount = true;
  private readonly five = new Float64Array(5);

  /** Whether the next read counts them again (and so reads the costs it is given). */
  get stale(): boolean {
    return this.mustCount;
  }

  /** Forgets every case: the next read counts them. */
  clear(): void {
    this.mustCount = true;
  }

  /** A case of cost c joins the open ones. */
  join(c: number): void {
    if (this.mustCount) return;
    const values = this.values;
    const n = this.kept;
    // Full, they can no longer hold every case: c or their smallest is left out.
    if (n === KEPT) this.complete = false;
    // While they hold every case there is room for c; else c enters only above their smallest.
    if (!this.complete && !(n > 0 && c > values[n - 1]!)) return;
    // Insert c in order; the smallest drops out when they are full.
    let j = n < KEPT ? n : KEPT - 1;
    while (j > 0 && values[j - 1]! < c) {
      values[j] = values[j - 1]!;
      j--;
    }
    values[j] = c;
    if (n < KEPT) this.kept = n + 1;
  }

  /** A case of cost c leaves the open ones. */
  leave(c: number): void {
    if (this.mustCount) return;
    const values = this.values;
    const n = this.kept;
    if (n === 0 || c < values[n - 1]!) return;
    // One value equal to c, the last such, taken out (one is kept: c is at least the smallest).
    let j = n - 1;
    while (j >= 0 && values[j]! !== c) j--;
    if (j < 0) {
      this.mustCount = true;
      return;
    }
    values.copyWithin(j, j + 1, n);
    this.kept = n - 1;
    if (this.kept < 5 && !this.complete) this.mustCount = true;
  }

  /** The five largest of the open cases (0 where there are fewer), whose costs are `costs[0..n)`. */
  of(costs: Float64Array, n: number): Float64Array {
    if (this.mustCount) this.count(costs, n);
    const five = this.five;
    for (let j = 0; j < 5; j++) five[j] = j < this.kept ? this.values[j]! : 0;
    return five;
  }

  /** Counts the largest costs of `costs[0..n)` afresh. */
  private count(costs: Float64Array, n: number): void {
    const values = this.values;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const c = costs[i]!;
      if (kept === KEPT && !(c > values[KEPT - 1]!)) continue;
      let j = kept < KEPT ? kept++ : KEPT - 1;
      while (j > 0 && values[j - 1]! < c) {
        values[j] = values[j - 1]!;
        j--;
      }
      values[j] = c;
    }
    this.kept = kept;
    this.complete = n <= KEPT;
    this.mustCount = false;
  }
}

/**
 * Adds x to the sum kept as two numbers, `s[i] + s[i + 1]` (a double-double: the sum rounded,
 * and what the rounding left out). The steps are error-free transformations as long as the
 * binary digits from the smallest term's last to the sum's first span at most 106: with costs
 * of at least 1 kr, any sum below 2⁵⁴ kr (about 1.8·10¹⁶). The pair then holds the exact sum of
 * everything added and taken away, and `s[i]` is that sum correctly rounded, whatever the order
 * the terms came in. Beyond that it is still the same numbers on every run, within about
 * 2⁻¹⁰⁶ of the largest sum held along the way.
 */
function addExact(s: Float64Array, i: number, x: number): void {
  const hi = s[i]!;
  const t = hi + x;
  const b = t - hi;
  const e = hi - (t - b) + (x - b) + s[i + 1]!;
  const h = t + e;
  s[i + 1] = e - (h - t);
  s[i] = h;
}

/** Where each sum is kept in {@link OpenCases}'s pairs. */
const OWN = 0;
const OTHER = 2;
const GROSS = 4;

/**
 * The open cases of a path in order of their start, for the specialised area's periods.
 *
 * A case is opened with its yearly cost and end day, and booked at once into the period it
 * closes in: the first period that ends on or after its end day, and never the period it opened
 * in (a new case counts in its first period whatever its length). The earliest cases hold the
 * own places: {@link OpenCases.fill} moves the boundary between them and the others, which moves
 * only as cases close or places change. The sums of the own cases' costs, the others' and all of
 * them are kept exactly ({@link addExact}) as cases open, close and change side, so a period
 * costs a few operations a case that opens or closes in it, not one a case open in it, and the
 * sums are the exact ones rounded once, whatever the order the cases came and went in.
 *
 * @internal
 */
export class OpenCases {
  /** Open cases; own places are held by the first {@link OpenCases.ownCount} of them. */
  count = 0;
  ownCount = 0;
  private readonly top = new FiveLargest();
  /** The day each period ends, in order. */
  private readonly periodEnd: Float64Array;
  // Each case's slot: cost, its neighbours in order of start (-1: none), the next case closing in
  // the same period (a list per period, through `closeHead`), whether it holds an own place.
  private cost = new Float64Array(1024);
  private next = new Int32Array(1024);
  private prev = new Int32Array(1024);
  private closeNext = new Int32Array(1024);
  private own = new Uint8Array(1024);
  /** Slots in use, and the first of those freed by closed cases (-1: none). */
  private used = 0;
  private free = -1;
  private head = -1;
  private tail = -1;
  /** The first case that holds no own place (-1: every case holds one). */
  private firstOther = -1;
  /** Per period, the first case that closes in it (-1: none). */
  private readonly closeHead: Int32Array;
  /** Per whole day up to the last period's end, the first period that ends on or after it. */
  private readonly endingFrom: Int32Array;
  /** Exact sums, each a pair (see {@link addExact}): the own cases' costs, the others', all. */
  private readonly sums = new Float64Array(6);
  /** The costs in order of start, written when the five largest are counted again. */
  private scratch = new Float64Array(1024);

  /** @param periodEnd - the day each period ends, in order */
  constructor(periodEnd: Float64Array) {
    this.periodEnd = periodEnd;
    this.closeHead = new Int32Array(periodEnd.length).fill(-1);
    const last = periodEnd.length > 0 ? periodEnd[periodEnd.length - 1]! : 0;
    this.endingFrom = new Int32Array(Math.floor(last) + 1);
    for (let day = 0, q = 0; day < this.endingFrom.length; day++) {
      while (periodEnd[q]! < day) q++;
      this.endingFrom[day] = q;
    }
  }

  /** Closes every case: the book is empty. */
  clear(): void {
    this.count = 0;
    this.ownCount = 0;
    this.used = 0;
    this.free = -1;
    this.head = -1;
    this.tail = -1;
    this.firstOther = -1;
    this.closeHead.fill(-1);
    this.sums.fill(0);
    this.top.clear();
  }

  /**
   * Opens a case of yearly cost c ending on day `end`, in period `from` (-1 before the first),
   * after the open ones. It holds no own place until {@link OpenCases.fill} gives it one.
   */
  open(c: number, end: number, from: number): void {
    const k = this.slot();
    this.cost[k] = c;
    this.own[k] = 0;
    this.next[k] = -1;
    this.prev[k] = this.tail;
    if (this.tail >= 0) this.next[this.tail] = k;
    else this.head = k;
    this.tail = k;
    if (this.firstOther < 0) this.firstOther = k;
    this.count++;
    addExact(this.sums, OTHER, c);
    addExact(this.sums, GROSS, c);
    this.top.join(c);
    // A case that outlasts the horizon is in no period's list (its slot's `closeNext` is not read).
    const q = this.closingPeriod(end, from + 1);
    if (q >= 0) {
      this.closeNext[k] = this.closeHead[q]!;
      this.closeHead[q] = k;
    }
  }

  /** Closes the cases that close in period p and returns how many. */
  closeIn(p: number): number {
    let closed = 0;
    for (let k = this.closeHead[p]!; k >= 0; k = this.closeNext[k]!) {
      const c = this.cost[k]!;
      if (this.own[k] === 1) {
        addExact(this.sums, OWN, -c);
        this.ownCount--;
      } else {
        addExact(this.sums, OTHER, -c);
        if (this.firstOther === k) this.firstOther = this.next[k]!;
      }
      addExact(this.sums, GROSS, -c);
      this.top.leave(c);
      const before = this.prev[k]!;
      const after = this.next[k]!;
      if (before >= 0) this.next[before] = after;
      else this.head = after;
      if (after >= 0) this.prev[after] = before;
      else this.tail = before;
      // The slot joins the free list, threaded through `next`.
      this.next[k] = this.free;
      this.free = k;
      this.count--;
      closed++;
    }
    this.closeHead[p] = -1;
    return closed;
  }

  /** Gives the own places to the first min(places, count) cases, moving the boundary as far as it must. */
  fill(places: number): void {
    const want = places < this.count ? places : this.count;
    while (this.ownCount < want) {
      const k = this.firstOther;
      this.switchSide(k, 1);
      this.firstOther = this.next[k]!;
      this.ownCount++;
    }
    while (this.ownCount > want) {
      const k = this.firstOther >= 0 ? this.prev[this.firstOther]! : this.tail;
      this.switchSide(k, 0);
      this.firstOther = k;
      this.ownCount--;
    }
  }

  /** The own cases' costs, summed exactly and rounded once. */
  get ownKr(): number {
    return this.sums[OWN]!;
  }

  /** The other cases' costs, summed exactly and rounded once. */
  get otherKr(): number {
    return this.sums[OTHER]!;
  }

  /** Every open case's cost, summed exactly and rounded once. */
  get grossKr(): number {
    return this.sums[GROSS]!;
  }

  /** The five largest costs of the open cases, largest first (0 where there are fewer than five). */
  fiveLargest(): Float64Array {
    // Counted again only after a clear, or when fewer than five of the largest kept are left and
    // they do not hold every case: the costs are listed only then.
    if (!this.top.stale) return this.top.of(this.scratch, 0);
    if (this.scratch.length < this.count) this.scratch = new Float64Array(2 * this.count);
    let n = 0;
    for (let k = this.head; k >= 0; k = this.next[k]!) this.scratch[n++] = this.cost[k]!;
    return this.top.of(this.scratch, n);
  }

  /** Moves case k to the own side (1) or the other (0). */
  private switchSide(k: number, own: number): void {
    const c = this.cost[k]!;
    this.own[k] = own;
    addExact(this.sums, own === 1 ? OWN : OTHER, c);
    addExact(this.sums, own === 1 ? OTHER : OWN, -c);
  }

  /** The first period from `first` on that ends on or after day `end` (-1: none, the case outlasts the horizon). */
  private closingPeriod(end: number, first: number): number {
    const ends = this.periodEnd;
    const P = ends.length;
    if (first >= P || !(end <= ends[P - 1]!)) return -1;
    // The first period that ends on or after the whole day, then on to the one that ends on or after the day itself.
    let q = end > 0 ? this.endingFrom[Math.floor(end)]! : 0;
    while (ends[q]! < end) q++;
    return q > first ? q : first;
  }

  /** A free slot, the arrays doubled if every one is in use. */
  private slot(): number {
    const k = this.free;
    if (k >= 0) {
      this.free = this.next[k]!;
      return k;
    }
    if (this.used === this.cost.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const n = this.cost.length * 2;
    const cost = new Float64Array(n);
    cost.set(this.cost);
    this.cost = cost;
    for (const key of ['next', 'prev', 'closeNext'] as const) {
      const a = new Int32Array(n);
      a.set(this[key]);
      this[key] = a;
    }
    const own = new Uint8Array(n);
    own.set(this.own);
    this.own = own;
  }
}
