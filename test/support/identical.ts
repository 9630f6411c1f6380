import { expect } from 'vitest';
import { RECORDED_FIGURES, type SimulationResult } from '../../src/index';

/** The bytes of a numbers' array: equal bytes are equal numbers bit for bit (-0 and NaN's bits included). */
export const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Two results with the same figures and metrics, bit for bit, each named where it differs. */
export function expectIdentical(a: SimulationResult, b: SimulationResult): void {
  for (const f of RECORDED_FIGURES) expect(bytes(b.figures[f]).equals(bytes(a.figures[f])), f).toBe(true);
  expect(Object.keys(b.metrics)).toEqual(Object.keys(a.metrics));
  for (const k of Object.keys(a.metrics)) expect(bytes(b.metrics[k]!).equals(bytes(a.metrics[k]!)), k).toBe(true);
}
