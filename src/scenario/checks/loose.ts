/** A value seen by the cross-field checks: typed when its field passed, raw input when it failed. */
export type Loose = Readonly<Record<string, unknown>>;
export const looseObject = (v: unknown): Loose | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
export const looseArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const looseInt = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
