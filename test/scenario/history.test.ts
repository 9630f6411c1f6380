import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  AccountsImportError,
  accountsFromCsv,
  historyFromStatbank,
  PopulationImportError,
  seriesFromStatbank,
  type GroupSeries,
  type HomeCareHistory,
  type SeriesImportOptions,
} from '../../src/index';

const DATA = join(__dirname, '..', '..', 'examples', 'data');
const read = (file: string) => readFileSync(join(DATA, file), 'utf8');
const populationText = read('lejre-folk1am.json');
const recipientsCsv = read('lejre-aed06.csv');
const hoursText = read('lejre-aed022.json');
const accountsText = read('lejre-accounts.csv');
const YEARS = Array.from({ length: 14 }, (_v, k) => String(2010 + k));
const ALL_TYPES = 'Personlig og/eller praktisk hjælp';

interface JsonStat2 {
  label?: string;
  id: string[];
  size: number[];
  dimension: Record<
    string,
    { label?: string; category: { index: Record<string, number>; label: Record<string, string> } }
  >;
  value: number[];
}

/** The same table in the first JSON-stat version's `{"dataset": ...}` form. */
function toJsonStat1(t: JsonStat2) {
  return { dataset: { label: t.label, dimension: { ...t.dimension, id: t.id, size: t.size }, value: t.value } };
}

/** The same table as the CSV export: one column a dimension (by label), the value as INDHOLD with decimal commas. */
function toCsv(t: JsonStat2): string {
  const dims = t.id.filter((id) => id !== 'ContentsCode');
  const cats = t.id.map((id) =>
    Object.entries(t.dimension[id]!.category.index)
      .sort((a, b) => a[1] - b[1])
      .map(([code]) => t.dimension[id]!.category.label[code] ?? code),
  );
  const lines = [[...dims.map((id) => (id === 'Tid' ? 'TID' : id)), 'INDHOLD'].join(';')];
  t.value.forEach((v, i) => {
    let rest = i;
    const at: number[] = [];
    for (let d = t.id.length - 1; d >= 0; d--) {
      at[d] = rest % t.size[d]!;
      rest = Math.floor(rest / t.size[d]!);
    }
    const fields = t.id.flatMap((id, d) => (id === 'ContentsCode' ? [] : [cats[d]![at[d]!]!]));
    lines.push([...fields, String(v).replace('.', ',')].join(';'));
  });
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function failure(run: () => unknown, type: new (...args: never[]) => Error = PopulationImportError): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const closeTo = (a: GroupSeries, b: GroupSeries) => {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const g of Object.keys(a)) {
    expect(Object.keys(a[g]!)).toEqual(Object.keys(b[g]!));
    for (const y of Object.keys(a[g]!)) expect(a[g]![y]).toBeCloseTo(b[g]![y]!, 6);
  }
};

/** Recipients of a band and year summed straight from the CSV rows by an independent parser. */
function recipientsFromRows(text: string, bands: string[], year: string, sex = 'I alt', type = ALL_TYPES): number {
  const rows = parseCsv(text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
  return rows
    .filter((r) => r.YDELSESTYPE === type && r['KØN'] === sex && r.TID === year && bands.includes(r.ALDER!))
    .reduce((s, r) => s + Number(r.INDHOLD), 0);
}

const replaceRow = (text: string, prefix: string, value: string) => {
  const out = text.replace(new RegExp(`(${prefix});[^;\\r\\n]*\\r\\n`), `$1;${value}\r\n`);
  expect(out).not.toBe(text);
  return out;
};

describe('seriesFromStatbank reads every layout alike', () => {
  const hours = JSON.parse(hoursText) as JsonStat2;
  const population = JSON.parse(populationText) as JsonStat2;
  const fixed = { YDELSESTYPE: ALL_TYPES };

  it('JSON-stat 2, JSON-stat 1 and the CSV export give the same series, by groups and in total', () => {
    for (const options of [
      { municipality: 'Lejre', groups: '67-79,80+', fixed },
      { municipality: 'Lejre', groups: ['65-66', '67-74', '75+'], fixed, from: 2012, to: 2015 },
      { municipality: 'Lejre', total: true, fixed },
    ] satisfies SeriesImportOptions[]) {
      const v2 = seriesFromStatbank(hoursText, options);
      closeTo(seriesFromStatbank(toJsonStat1(hours), options), v2);
      closeTo(seriesFromStatbank(toCsv(hours), options), v2);
      expect(Object.keys(Object.values(v2)[0]!)).toEqual(
        options.from === undefined ? YEARS : ['2012', '2013', '2014', '2015'],
      );
    }
    const groups = { municipality: '350', groups: '67-79,80+' };
    const pop = seriesFromStatbank(population, groups);
    expect(seriesFromStatbank(JSON.stringify(toJsonStat1(population)), groups)).toEqual(pop);
    expect(seriesFromStatbank(toCsv(population), { ...groups, municipality: 'lejre' })).toEqual(pop);
  });

  it('sums the bands each group covers, as counted from the rows by another parser', () => {
    const r = seriesFromStatbank(recipientsCsv, { municipality: 'Lejre', groups: '67-79,80+', fixed });
    for (const y of YEARS) {
      expect(r['67-79']![y]).toBe(recipientsFromRows(recipientsCsv, ['67-74 år', '75-79 år'], y));
      expect(r['80+']![y]).toBe(recipientsFromRows(recipientsCsv, ['80-84 år', '85-89 år', '90 år og derover'], y));
    }
    // The sexes' total is taken; fixing the sex to each and adding gives the same.
    const men = seriesFromStatbank(recipientsCsv, {
      municipality: 'Lejre',
      groups: '80+',
      fixed: { ...fixed, KØN: 'Mænd' },
    });
    const women = seriesFromStatbank(recipientsCsv, {
      municipality: 'Lejre',
      groups: '80+',
      fixed: { ...fixed, køn: 'kvinder' },
    });
    for (const y of YEARS) expect(men['80+']![y]! + women['80+']![y]!).toBe(r['80+']![y]);
    // Another type of benefit is another series.
    const care = seriesFromStatbank(recipientsCsv, {
      municipality: 'Lejre',
      groups: '80+',
      fixed: { YDELSESTYPE: 'Personlig pleje' },
    });
    expect(care['80+']!['2015']).toBe(
      recipientsFromRows(
        recipientsCsv,
        ['80-84 år', '85-89 år', '90 år og derover'],
        '2015',
        'I alt',
        'Personlig pleje',
      ),
    );
    expect(care['80+']!['2015']).toBeLessThan(r['80+']!['2015']!);
  });

  it('total takes "Alder i alt", or sums the bands when the table has no total; a table without ages has only totals', () => {
    const options = { municipality: 'Lejre', total: true, fixed };
    const total = seriesFromStatbank(recipientsCsv, options);
    expect(Object.keys(total)).toEqual(['total']);
    for (const y of YEARS) expect(total.total![y]).toBe(recipientsFromRows(recipientsCsv, ['Alder i alt'], y));
    const noTotal = recipientsCsv
      .split('\r\n')
      .filter((l) => !l.includes(';Alder i alt;'))
      .join('\r\n');
    expect(seriesFromStatbank(noTotal, options)).toEqual(total);
    // A table of totals only: no age column at all.
    const noAge = toCsv(hours)
      .split('\r\n')
      .filter((l) => l.includes(';Alder i alt;') || l.includes('ALDER'))
      .map((l) =>
        l
          .split(';')
          .filter((_f, k) => k !== 2)
          .join(';'),
      )
      .join('\r\n');
    expect(noAge.split('\r\n')[0]).toBe('\ufeffOMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD');
    closeTo(seriesFromStatbank(noAge, options), seriesFromStatbank(hoursText, options));
    expect(failure(() => seriesFromStatbank(noAge, { municipality: 'Lejre', groups: '80+', fixed }))).toContain(
      'groups: the table has no age dimension (it has OMRÅDE, YDELSESTYPE, KØN, TID, INDHOLD); pass total: true',
    );
  });

  it('leaves out a band that is the sum of other bands ("65 år og derover"), and reads renamed dimensions', () => {
    const options = { municipality: 'Lejre', groups: '67-79,80+', fixed };
    const plain = seriesFromStatbank(recipientsCsv, options);
    const extra = YEARS.map((y) => {
      const n = recipientsFromRows(
        recipientsCsv,
        ['65-66 år', '67-74 år', '75-79 år', '80-84 år', '85-89 år', '90 år og derover'],
        y,
      );
      return `Lejre;${ALL_TYPES};65 år og derover;I alt;${y};${n}`;
    });
    expect(seriesFromStatbank(`${recipientsCsv}${extra.join('\r\n')}\r\n`, options)).toEqual(plain);
    const renamed = recipientsCsv.replace(
      'OMRÅDE;YDELSESTYPE;ALDER;KØN;TID;INDHOLD',
      'BOPKOM;YDELSESTYPE;ALDERGRP;KØN;PERIODE;ANTAL',
    );
    expect(failure(() => seriesFromStatbank(renamed, options))).toContain('expected a column for area');
    const dimensions = { area: 'bopkom', age: 'ALDERGRP', time: 'Periode', value: 'ANTAL' };
    expect(seriesFromStatbank(renamed, { ...options, dimensions })).toEqual(plain);
    expect(
      failure(() => seriesFromStatbank(renamed, { ...options, dimensions: { ...dimensions, age: 'AGE' } })),
    ).toContain(
      'dimensions.age: the table has no dimension "AGE"; it has BOPKOM, YDELSESTYPE, ALDERGRP, KØN, PERIODE, ANTAL',
    );
  });
});

describe('seriesFromStatbank names what is wrong, before summing', () => {
  const fixed = { YDELSESTYPE: ALL_TYPES };
  const options = { municipality: 'Lejre', groups: '67-79,80+', fixed };
  const run = (text: string, o: SeriesImportOptions = options) => failure(() => seriesFromStatbank(text, o));

  it('an unknown municipality, listing those the table has; a year the table lacks', () => {
    expect(run(recipientsCsv, { ...options, municipality: 'Roskilde' })).toBe(
      'seriesFromStatbank: municipality "Roskilde" is not in the table; it has Lejre',
    );
    expect(run(hoursText, { ...options, from: 2015, to: 2012 })).toBe(
      'seriesFromStatbank: from and to: expected whole years with from <= to; received 2015 to 2012',
    );
    expect(run(hoursText, { ...options, from: 2008, to: 2011 })).toContain(
      'Lejre: the table has no figures for the years 2008, 2009 (it covers 2010, 2011',
    );
  });

  it('a missing or negative value, naming its municipality, age and year', () => {
    const prefix = `Lejre;${ALL_TYPES};85-89 år;I alt;2015`;
    expect(run(replaceRow(recipientsCsv, prefix, '..'))).toBe(
      'seriesFromStatbank: Lejre, 2015: the value for age 85-89 år is missing ("..")',
    );
    expect(run(replaceRow(recipientsCsv, prefix, '-4'))).toBe(
      'seriesFromStatbank: Lejre: the value for age 85-89 år, sex I alt, 2015 is -4; expected a count ≥ 0',
    );
    const hours = JSON.parse(hoursText) as JsonStat2;
    hours.value[hours.value.length - 1] = -1; // Praktisk hjælp, 90+, 2023: not the fixed type, so no matter
    expect(seriesFromStatbank(hours, options)['80+']!['2023']).toBeGreaterThan(0);
    hours.value[5 * 14 + 13] = -2.5; // Personlig og/eller praktisk hjælp, 80-84 år, 2023
    expect(run(JSON.stringify(hours))).toContain(
      'Lejre: the value for age 80-84 år, sex TOT, 2023 is -2.5; expected a count ≥ 0',
    );
  });

  it("age bands that do not tile the groups: the gap, the band crossing a group's edge, an overlap", () => {
    const gap = recipientsCsv
      .split('\r\n')
      .filter((l) => !l.includes(';75-79 år;'))
      .join('\r\n');
    expect(run(gap)).toBe('seriesFromStatbank: Lejre, 2010: no figures for ages 75, 76, 77, 78, 79 (group "67-79")');
    expect(run(recipientsCsv, { ...options, groups: '70-79,80+' })).toBe(
      'seriesFromStatbank: Lejre, 2010: the table\'s age band 67-74 crosses the edge of group "70-79"',
    );
    const overlap = `${recipientsCsv}Lejre;${ALL_TYPES};82-86 år;I alt;2010;40\r\n`;
    expect(run(overlap)).toContain("Lejre, 2010: the table's age bands 80-84 and 82-86 overlap at age 82");
    expect(run(recipientsCsv, { ...options, groups: '67-79,75+' })).toContain('groups: "67-79" and "75+" overlap');
  });

  it('a dimension of several categories that is not fixed, and a fixed one the table lacks', () => {
    expect(run(recipientsCsv, { municipality: 'Lejre', groups: '80+' })).toContain(
      `column "YDELSESTYPE" has 3 values ("${ALL_TYPES}", "Personlig pleje", "Praktisk hjælp"); expected one: fix it with fixed: { YDELSESTYPE: '<code or label>' }`,
    );
    expect(run(hoursText, { municipality: 'Lejre', groups: '80+' })).toContain(
      'dimension "YDELSESTYPE" has 3 categories',
    );
    expect(run(hoursText, { ...options, fixed: { YDELSESTYPE: 'Madservice' } })).toContain(
      'fixed: dimension "YDELSESTYPE" has no category "Madservice"; it has "100: Personlig og/eller praktisk hjælp"',
    );
    expect(run(recipientsCsv, { ...options, fixed: { YDELSESTYPE: 'Madservice' } })).toContain(
      'fixed: column "YDELSESTYPE" has no value "Madservice"',
    );
    expect(run(populationText, { ...options, fixed })).toBe(
      'seriesFromStatbank: fixed: the table has no dimension "YDELSESTYPE"; it has OMRÅDE, KØN, ALDER, Tid, ContentsCode',
    );
    expect(run(populationText, { municipality: 'Lejre', groups: '80+', fixed: { ALDER: '80 år' } })).toContain(
      'fixed: "ALDER" is the table\'s age dimension',
    );
    // The code of a category fixes it as well as its label.
    expect(seriesFromStatbank(hoursText, { ...options, fixed: { ydelsestype: '100' } })).toEqual(
      seriesFromStatbank(hoursText, options),
    );
  });

  it('quarters of one year, and neither or both of groups and total', () => {
    const quarterly = recipientsCsv.replace(/;2010;/g, ';2010K1;').replace(/;2011;/g, ';2010K2;');
    expect(run(quarterly)).toContain(
      'the time categories "2010K1" and "2010K2" are both in 2010; expected one per year',
    );
    expect(run(recipientsCsv, { municipality: 'Lejre', fixed })).toContain('groups: expected age groups');
    expect(run(recipientsCsv, { ...options, total: true })).toContain(
      'groups and total: expected one of them; received both',
    );
  });
});

describe('historyFromStatbank', () => {
  const fixed = { YDELSESTYPE: ALL_TYPES };
  const options = { municipality: 'Lejre', groups: '67-79,80+', fixed };
  const tables = { population: populationText, recipients: recipientsCsv, hours: hoursText };

  it('reads the constructed Lejre into a plausible history, 2010-2023, with its sources', () => {
    const h: HomeCareHistory = historyFromStatbank(tables, options);
    for (const s of [h.population, h.recipients, h.hours!]) {
      expect(Object.keys(s)).toEqual(['67-79', '80+']);
      expect(Object.keys(s['80+']!)).toEqual(YEARS);
    }
    expect(h.population['80+']!['2010']).toBeGreaterThan(1000);
    expect(h.population['80+']!['2010']).toBeLessThan(1200);
    expect(h.population['80+']!['2023']).toBeGreaterThan(1500);
    expect(h.population['67-79']!['2010']).toBeGreaterThan(3300);
    expect(h.population['67-79']!['2023']).toBeLessThan(4500);
    const rate = (g: string, y: string) => h.recipients[g]![y]! / h.population[g]![y]!;
    expect(rate('80+', '2010')).toBeGreaterThan(0.3);
    expect(rate('80+', '2010')).toBeLessThan(0.4);
    expect(rate('80+', '2023')).toBeGreaterThan(0.24);
    expect(rate('80+', '2023')).toBeLessThan(0.32);
    expect(rate('67-79', '2010')).toBeGreaterThan(0.05);
    expect(rate('67-79', '2023')).toBeLessThan(0.065);
    // The 80+ use rate's trend (least squares on its logarithm): a fall of about 1.5 % a year.
    const xs = YEARS.map(Number);
    const ys = YEARS.map((y) => Math.log(rate('80+', y)));
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(-0.03);
    expect(slope).toBeLessThan(-0.005);
    for (const g of ['67-79', '80+'])
      for (const y of YEARS) {
        const perRecipient = h.hours![g]![y]! / h.recipients[g]![y]!;
        expect(perRecipient).toBeGreaterThan(2.5);
        expect(perRecipient).toBeLessThan(4.6);
      }
    expect(h.sources).toEqual({
      population: expect.stringContaining('JSON-stat 2.0') as unknown,
      recipients: 'CSV export (OMRÅDE;YDELSESTYPE;ALDER;KØN;TID;INDHOLD)',
      hours: expect.stringContaining('visiterede timer pr. uge') as unknown,
    });
    const named = historyFromStatbank(
      { population: populationText, recipients: recipientsCsv },
      { ...options, sources: { population: 'FOLK1AM', recipients: 'AED06' } },
    );
    expect(named.sources).toEqual({ population: 'FOLK1AM', recipients: 'AED06' });
    expect(named).not.toHaveProperty('hours');
  });

  it('takes the common years, or from and to; hours without ages become the total', () => {
    const late = recipientsCsv
      .split('\r\n')
      .filter((l) => !/;201[0-4];/.test(l))
      .join('\r\n');
    const h = historyFromStatbank({ ...tables, recipients: late }, options);
    expect(Object.keys(h.population['80+']!)).toEqual(YEARS.slice(5));
    expect(Object.keys(h.hours!['67-79']!)).toEqual(YEARS.slice(5));
    const some = historyFromStatbank(tables, { ...options, from: 2012, to: 2014 });
    expect(Object.keys(some.recipients['80+']!)).toEqual(['2012', '2013', '2014']);
    const hoursTotal = toCsv(JSON.parse(hoursText) as JsonStat2)
      .split('\r\n')
      .filter((l) => l.includes(';Alder i alt;') || l.includes('ALDER'))
      .map((l) =>
        l
          .split(';')
          .filter((_f, k) => k !== 2)
          .join(';'),
      )
      .join('\r\n');
    const t = historyFromStatbank({ ...tables, hours: hoursTotal }, options);
    expect(Object.keys(t.hours!)).toEqual(['total']);
    expect(t.hours!.total!['2020']).toBeCloseTo(
      seriesFromStatbank(hoursText, { municipality: 'Lejre', total: true, fixed }).total!['2020']!,
      6,
    );
  });

  it('names the years of each table when none overlap, and a year a table lacks', () => {
    const early = toCsv(JSON.parse(populationText) as JsonStat2)
      .split('\r\n')
      .filter((l) => !/;20(1[3-9]|2\d);/.test(l))
      .join('\r\n');
    const late = recipientsCsv
      .split('\r\n')
      .filter((l) => !/;201[0-4];/.test(l))
      .join('\r\n');
    expect(failure(() => historyFromStatbank({ population: early, recipients: late }, options))).toBe(
      'historyFromStatbank: the tables have no year in common for Lejre: population 2010-2012, recipients 2015-2023',
    );
    expect(failure(() => historyFromStatbank(tables, { ...options, from: 2008 }))).toBe(
      'historyFromStatbank: population table: Lejre has no figures for the years 2008, 2009 (it covers 2010-2023)',
    );
    expect(failure(() => historyFromStatbank(tables, { ...options, fixed: { ...fixed, FORMAAL: 'x' } }))).toContain(
      'fixed: no table has a dimension "FORMAAL"',
    );
    expect(failure(() => historyFromStatbank(tables, { ...options, municipality: 'Køge' }))).toBe(
      'historyFromStatbank: population table: municipality "Køge" is not in the table; it has Lejre',
    );
  });

  it('refuses more recipients than citizens, naming the group and year', () => {
    const many = replaceRow(recipientsCsv, `Lejre;${ALL_TYPES};90 år og derover;I alt;2016`, '5000');
    expect(failure(() => historyFromStatbank({ ...tables, recipients: many }, options))).toMatch(
      /^historyFromStatbank: Lejre, group "80\+", 2016: [\d,]+ recipients of home care but [\d,]+ citizens; expected recipients ≤ population/,
    );
  });
});

describe('accountsFromCsv', () => {
  it('reads the Danish accounts, "kr." or not, by service and year', () => {
    const a = accountsFromCsv(accountsText);
    expect(Object.keys(a)).toEqual(['Hjemmehjælp', 'Plejeboliger', 'Forebyggende hjemmebesøg']);
    expect(Object.keys(a['Hjemmehjælp']!)).toEqual(YEARS);
    const first = /Hjemmehjælp;2010;([\d.]+),(\d\d) kr\./.exec(accountsText)!;
    expect(a['Hjemmehjælp']!['2010']).toBe(Number(`${first[1]!.replace(/\./g, '')}.${first[2]}`));
    for (const y of YEARS) {
      expect(a['Hjemmehjælp']![y]).toBeGreaterThan(40e6);
      expect(a['Hjemmehjælp']![y]).toBeLessThan(120e6);
    }
    expect(accountsFromCsv(accountsText, { service: 'hjemmehjælp', from: 2020, to: 2021 })).toEqual({
      Hjemmehjælp: { '2020': a['Hjemmehjælp']!['2020'], '2021': a['Hjemmehjælp']!['2021'] },
    });
  });

  it('reads the same figures in English number format', () => {
    const english =
      'service,year,cost\nHome care,2022,"101,250,000.50"\nHome care,2023,104000000\nCare homes,2023,-1250.5\n';
    const danish =
      'Ydelse;År;Udgift\nHome care;2022;101.250.000,50 kr.\nHome care;2023;104000000\nCare homes;2023;−1.250,50\n';
    const expected = { 'Home care': { '2022': 101250000.5, '2023': 104000000 }, 'Care homes': { '2023': -1250.5 } };
    expect(accountsFromCsv(english)).toEqual(expected);
    expect(accountsFromCsv(danish)).toEqual(expected);
  });

  it('names the line and column of an unreadable number, a duplicate, a missing column or year', () => {
    const run = (text: string, o = {}) => failure(() => accountsFromCsv(text, o), AccountsImportError);
    expect(run('Ydelse;År;Udgift\nHjemmehjælp;2022;1.000\nHjemmehjælp;2023;12,3,4')).toBe(
      'accountsFromCsv: line 3, column Udgift: expected an amount in kroner such as "1.234.567,89" or "1.234.567,89 kr."; received "12,3,4"',
    );
    expect(run('service,year,cost\nHome care,2022,"1.234,5"')).toContain('line 2, column cost: expected an amount');
    expect(run('Ydelse;År;Udgift\nHjemmehjælp;22;1')).toContain(
      'line 2, column År: expected a four-digit year; received "22"',
    );
    expect(run('Ydelse;År;Udgift\nHjemmehjælp;2022;1\nPleje;2022;2\nHjemmehjælp;2022;3')).toBe(
      'accountsFromCsv: lines 2 and 4: "Hjemmehjælp", 2022 appears twice; expected one cost per service and year',
    );
    expect(run('Ydelse;År;Beskrivelse\nHjemmehjælp;2022;x')).toContain(
      'missing the cost column (expected one named cost, costkr, cost_kr, cost (kr), ...); the header has "Ydelse", "År", "Beskrivelse"',
    );
    expect(run(accountsText, { service: 'Madservice' })).toContain(
      'service "Madservice" is not in the file; it has Hjemmehjælp, Plejeboliger, Forebyggende hjemmebesøg',
    );
    expect(run(accountsText, { service: 'Plejeboliger', from: 2008, to: 2011 })).toContain(
      '"Plejeboliger" has no cost for the years 2008, 2009',
    );
  });

  it('refuses a row with more cells than the header, with the line, the cells and a decimal-comma hint', () => {
    const error = (text: string) => {
      try {
        accountsFromCsv(text);
      } catch (e) {
        expect(e).toBeInstanceOf(AccountsImportError);
        return e as AccountsImportError;
      }
      throw new Error('expected an error');
    };
    // A decimal comma in a comma file: four cells under three columns, not 54952270 kr.
    const split = error('service,year,cost\nHome care,2009,54000000\nHome care,2010,54952270,34\n');
    expect(split.message).toBe(
      'accountsFromCsv: line 3 has 4 cells ("Home care", "2010", "54952270", "34") but the header has 3 ("service", "year", "cost"); if the numbers use a decimal comma, save the file with \';\' as the separator',
    );
    expect(split.code).toBe('INVALID_ACCOUNTS');
    expect(split.line).toBe(3);
    expect(split.received).toEqual(['Home care', '2010', '54952270', '34']);
    expect(split.expected).toBe('3 cells (service, year, cost)');
    // Only the fields known are the error's own: a row's problem has no column.
    expect(Object.keys(split)).not.toContain('column');
    expect('column' in split).toBe(false);
    // Danish thousands points and decimal comma, unquoted in a comma file.
    expect(error('service,year,cost\nHome care,2010,54.952.270,34\n').message).toContain(
      'line 2 has 4 cells ("Home care", "2010", "54.952.270", "34") but the header has 3',
    );
    // Fewer cells where the columns read are there, and trailing empty cells, are read as before.
    expect(
      accountsFromCsv('\ufeff\nYdelse;År;Udgift;Note\nHjemmehjælp;2022;1.000;x\n\nHjemmehjælp;2023;1.000\n'),
    ).toEqual({ Hjemmehjælp: { 2022: 1000, 2023: 1000 } });
    expect(accountsFromCsv('Ydelse;År;Udgift\nHjemmehjælp;2022;100;\n')).toEqual({ Hjemmehjælp: { 2022: 100 } });
    // A note beyond the header's columns is not: the line counted as in the file.
    const extra = error('\ufeff\nYdelse;År;Udgift\nHjemmehjælp;2022;1.000\n\nHjemmehjælp;2023;1.000;note\n');
    expect(extra.message).toBe(
      'accountsFromCsv: line 5 has 4 cells ("Hjemmehjælp", "2023", "1.000", "note") but the header has 3 ("Ydelse", "År", "Udgift"); expected at most 3 cells in a row',
    );
    expect(extra.line).toBe(5);
    // The line and column of an unreadable cell as fields too.
    const year = error('Ydelse;År;Udgift\nHjemmehjælp;22;1');
    expect([year.line, year.column, year.received, year.expected]).toEqual([2, 'År', '22', 'a four-digit year']);
  });

  it('reads well-formed files to the same figures as before, blank lines and a note column allowed', () => {
    const a = accountsFromCsv(accountsText);
    const first = /Hjemmehjælp;2010;([\d.]+),(\d\d) kr\./.exec(accountsText)!;
    expect(a['Hjemmehjælp']!['2010']).toBe(Number(`${first[1]!.replace(/\./g, '')}.${first[2]}`));
    const english = accountsText
      .split('\n')
      .map((l) =>
        l
          .replace(/ kr\.$/, '')
          .replace(/\./g, '')
          .replace(',', '.')
          .replace(/;/g, ','),
      )
      .join('\n');
    expect(accountsFromCsv(english)).toEqual(a);
    const noted = accountsText
      .split('\n')
      .map((l, i) => (l === '' ? l : `${l};${i === 0 ? 'Note' : ''}`))
      .join('\n\n');
    expect(accountsFromCsv(noted)).toEqual(a);
  });
});
