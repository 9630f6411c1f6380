import { describe, expect, it } from 'vitest';
import {
  lejre2034,
  parseScenario,
  resultFromJSON,
  resultToJSON,
  runRecord,
  scenarioHash,
  simulate,
  VERSION,
} from '../../src/index';

/** 64-bit FNV-1a over UTF-16 code units, with BigInt: the reference the hand-written hash must match. */
function fnvReference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `fnv1a64:${h.toString(16).padStart(16, '0')}`;
}

describe('run records and the scenario hash', () => {
  it('the hash is 64-bit FNV-1a of the canonical JSON (keys sorted), whatever the order of the keys', () => {
    expect(scenarioHash({})).toBe(fnvReference('{}'));
    expect(scenarioHash({ b: 'æøå', a: [1, { d: null, c: 2.5 }] })).toBe(
      fnvReference('{"a":[1,{"c":2.5,"d":null}],"b":"æøå"}'),
    );
    const s = parseScenario(lejre2034());
    const reordered = Object.fromEntries(Object.entries(s).reverse());
    expect(scenarioHash(reordered)).toBe(scenarioHash(s));
    expect(scenarioHash({ ...s, seed: 2035 })).not.toBe(scenarioHash(s));
  });

  it('a result with its record survives the JSON round trip; a result without one (an older file) still reads', () => {
    const s = parseScenario({ ...lejre2034(), paths: 20 });
    const r = simulate(s);
    const record = runRecord(
      s,
      r.strategies.map((x) => x.id),
    );
    expect(record).toMatchObject({ libraryVersion: VERSION, seed: 2034, paths: 20, strategies: ['frame', 'activity'] });
    const back = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON({ ...r, run: record }))));
    expect(back.run).toEqual(JSON.parse(JSON.stringify(record)));
    expect(scenarioHash(back.run!.scenario)).toBe(record.scenarioHash);
    const broken = { ...JSON.parse(JSON.stringify(resultToJSON({ ...r, run: record }))), run: { scenario: 'x' } };
    expect(() => resultFromJSON(broken)).toThrow(
      'run: expected a run record with libraryVersion, scenario and scenarioHash',
    );
    const older = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON(r))));
    expect(older.run).toBeUndefined();
    expect(Array.from(older.figures.actualCostKr)).toEqual(Array.from(r.figures.actualCostKr));
  });
});
