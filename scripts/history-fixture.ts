/**
 * Builds the constructed home-care history of examples/data/ (a made-up but plausible Lejre,
 * shaped like Statistics Denmark's tables): `npx tsx scripts/history-fixture.ts`. Seeded, so it
 * rebuilds the same files.
 *
 * - lejre-folk1am.json: citizens by area, sex, single age (60 to "100 år og derover") and year
 *   2010-2023, JSON-stat 2.0 (like FOLK1AM).
 * - lejre-aed06.csv: recipients of home care by area, type of benefit, age band, sex and year,
 *   the CSV export (like AED06).
 * - lejre-aed022.json: visited hours a week by area, type of benefit, age band and year,
 *   JSON-stat 2.0 (like AED022).
 * - lejre-accounts.csv: the accounts' cost of home care and two other services, Danish format.
 */
import { writeFileSync } from 'node:fs';
import seedrandom from 'seedrandom';

const random = seedrandom('carebudget lejre history 2010-2023');
const YEARS = Array.from({ length: 14 }, (_v, k) => 2010 + k);
const dir = new URL('../examples/data/', import.meta.url);

/** A standard normal deviate (Box-Muller). */
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Poisson count (Knuth below 30, else the normal approximation). */
function poisson(mean: number): number {
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = random(); p > limit; p *= random()) k++;
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
}

/** A count a bit more spread than Poisson: the mean varies by a gamma-like factor (variance λ + λ²/900). */
const overdispersed = (mean: number) => poisson(mean * Math.max(0.5, 1 + normal() / 30));

/** A binomial split of n (the normal approximation, kept within 0..n). */
const split = (n: number, p: number) =>
  Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal())));

// --- Population by single age, 60 to 100+: group totals along the targets, spread by an age profile.
const AGES = Array.from({ length: 41 }, (_v, k) => 60 + k);
const t = (y: number) => (y - 2010) / 13;
const target = {
  young: (y: number) => 2050 + 250 * t(y), // 60-66
  '67-79': (y: number) => 3500 + 800 * t(y) ** 0.9,
  '80+': (y: number) => 1100 + 500 * t(y) ** 1.3,
};
const groupOfAge = (a: number) => (a < 67 ? 'young' : a < 80 ? '67-79' : '80+');
/** Relative size of each age within its group: fewer at each older age, faster after 80. */
const profile = (a: number) => (a < 80 ? Math.exp(-0.025 * (a - 60)) : Math.exp(-0.13 * (a - 80)));
const womenShare = (a: number) => 0.5 + Math.min(0.2, Math.max(0, (a - 65) * 0.008));
const population = new Map<string, number>(); // `${sex}|${age}|${year}`
for (const y of YEARS) {
  for (const g of ['young', '67-79', '80+'] as const) {
    const ages = AGES.filter((a) => groupOfAge(a) === g);
    const weight = ages.reduce((s, a) => s + profile(a), 0);
    for (const a of ages) {
      const n = Math.round((target[g](y) * profile(a)) / weight + 2 * normal());
      const women = split(Math.max(0, n), womenShare(a));
      population.set(`K|${a}|${y}`, women);
      population.set(`M|${a}|${y}`, Math.max(0, n) - women);
    }
  }
}
const pop = (lo: number, hi: number, y: number) =>
  AGES.filter((a) => a >= lo && a <= hi).reduce(
    (s, a) => s + population.get(`M|${a}|${y}`)! + population.get(`K|${a}|${y}`)!,
    0,
  );

function jsonStat2(
  label: string,
  dims: [id: string, label: string, categories: [code: string, label: string][]][],
  value: number[],
) {
  return {
    version: '2.0',
    class: 'dataset',
    label,
    source: 'Constructed for carebudget (not Statistics Denmark figures)',
    updated: '2024-03-15T07:00:00Z',
    id: dims.map((d) => d[0]),
    size: dims.map((d) => d[2].length),
    role: { time: ['Tid'], metric: ['ContentsCode'], geo: ['OMRÅDE'] },
    dimension: Object.fromEntries(
      dims.map(([id, l, cats]) => [
        id,
        {
          label: l,
          category: {
            index: Object.fromEntries(cats.map(([c], i) => [c, i])),
            label: Object.fromEntries(cats),
          },
        },
      ]),
    ),
    value,
  };
}

const AREA: [string, string][] = [['350', 'Lejre']];
const TIME: [string, string][] = YEARS.map((y) => [String(y), String(y)]);
{
  const sexes: [string, string][] = [
    ['1', 'Mænd'],
    ['2', 'Kvinder'],
  ];
  const ages: [string, string][] = AGES.map((a) =>
    a === 100 ? ['100OV', '100 år og derover'] : [String(a), `${a} år`],
  );
  const value: number[] = [];
  for (const [s] of sexes)
    for (const a of AGES) for (const y of YEARS) value.push(population.get(`${s === '1' ? 'M' : 'K'}|${a}|${y}`)!);
  const table = jsonStat2(
    'Befolkningen den 1. januar efter område, køn, alder, tid og indhold',
    [
      ['OMRÅDE', 'område', AREA],
      ['KØN', 'køn', sexes],
      ['ALDER', 'alder', ages],
      ['Tid', 'tid', TIME],
      ['ContentsCode', 'indhold', [['FOLK1AM', 'Befolkningen den 1. i måneden']]],
    ],
    value,
  );
  writeFileSync(new URL('lejre-folk1am.json', dir), `${JSON.stringify(table)}\n`);
}

// --- Recipients by age band: use rates falling (80+ about 1.5 % a year relative), a bit more noise than Poisson.
const BANDS = [
  { code: 'U65', label: 'Under 65 år', lo: 0, hi: 64 },
  { code: '6566', label: '65-66 år', lo: 65, hi: 66 },
  { code: '6774', label: '67-74 år', lo: 67, hi: 74 },
  { code: '7579', label: '75-79 år', lo: 75, hi: 79 },
  { code: '8084', label: '80-84 år', lo: 80, hi: 84 },
  { code: '8589', label: '85-89 år', lo: 85, hi: 89 },
  { code: '90OV', label: '90 år og derover', lo: 90, hi: 200 },
] as const;
/** The use rate of a band: the group's falling rate times the band's relative level. */
const rate = (band: (typeof BANDS)[number], y: number) => {
  const k = y - 2010;
  const old = 0.35 * 0.9835 ** k; // 80+: 35 % to about 28 %
  const young = 0.07 * 0.9745 ** k; // 67-79: 7 % to about 5 %
  const relative: Record<string, number> = { '6774': 0.55, '7579': 1.75, '8084': 0.55, '8589': 1.1, '90OV': 1.85 };
  return band.lo >= 80 ? old * relative[band.code]! : band.lo >= 67 ? young * relative[band.code]! : 0.025;
};
const recipients = new Map<string, number>(); // `${band}|${year}`, both sexes
for (const y of YEARS)
  for (const b of BANDS) {
    // Under 65: not in the population table (it starts at 60); a small count of younger recipients.
    const base = b.lo === 0 ? 95 * 0.985 ** (y - 2010) : pop(b.lo, Math.min(b.hi, 100), y) * rate(b, y);
    recipients.set(`${b.code}|${y}`, overdispersed(base));
  }
const TYPES = [
  { code: '100', label: 'Personlig og/eller praktisk hjælp', share: 1 },
  { code: '110', label: 'Personlig pleje', share: 0.62 },
  { code: '120', label: 'Praktisk hjælp', share: 0.86 },
] as const;
{
  const lines = ['OMRÅDE;YDELSESTYPE;ALDER;KØN;TID;INDHOLD'];
  for (const type of TYPES)
    for (const ageLabel of ['Alder i alt', ...BANDS.map((b) => b.label)])
      for (const y of YEARS) {
        const bands = ageLabel === 'Alder i alt' ? BANDS : BANDS.filter((b) => b.label === ageLabel);
        let all = 0;
        let women = 0;
        for (const b of bands) {
          const n = recipients.get(`${b.code}|${y}`)!;
          // The same draw for a band in every row it is summed into: seeded by band, type and year.
          const r = seedrandom(`${type.code}|${b.code}|${y}`);
          const of = type.share === 1 ? n : Math.min(n, Math.round(n * type.share + Math.sqrt(n) * (r() - 0.5)));
          all += of;
          women += Math.round(of * (b.lo >= 80 ? 0.68 : 0.6) + (r() - 0.5));
        }
        for (const [sex, v] of [
          ['I alt', all],
          ['Mænd', all - women],
          ['Kvinder', women],
        ] as const)
          lines.push(['Lejre', type.label, ageLabel, sex, String(y), String(v)].join(';'));
      }
  writeFileSync(new URL('lejre-aed06.csv', dir), `\ufeff${lines.join('\r\n')}\r\n`);
}

// --- Visited hours a week: hours per recipient about 3-4, rising slightly for the oldest.
{
  const perRecipient = (b: (typeof BANDS)[number], y: number) =>
    (b.lo >= 80 ? 3.7 + 0.025 * (y - 2010) : b.lo >= 67 ? 3.0 + 0.02 * (y - 2010) : 4.2) * (1 + 0.03 * normal());
  const hours = new Map<string, number>();
  for (const y of YEARS)
    for (const b of BANDS) hours.set(`${b.code}|${y}`, recipients.get(`${b.code}|${y}`)! * perRecipient(b, y));
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const ages: [string, string][] = [['IALT', 'Alder i alt'], ...BANDS.map((b): [string, string] => [b.code, b.label])];
  const types: [string, string][] = TYPES.map((x) => [x.code, x.label]);
  const personal = { '100': 1, '110': 0.71, '120': 0.29 } as Record<string, number>;
  const value: number[] = [];
  for (const [type] of types)
    for (const [age] of ages)
      for (const y of YEARS) {
        const bands: readonly (typeof BANDS)[number][] = age === 'IALT' ? BANDS : BANDS.filter((b) => b.code === age);
        value.push(
          round1(bands.reduce((s: number, b) => s + round1(hours.get(`${b.code}|${y}`)! * personal[type]!), 0)),
        );
      }
  const table = jsonStat2(
    'Hjemmehjælp, frit valg (visiterede timer pr. uge) efter område, ydelsestype, alder, køn og tid',
    [
      ['OMRÅDE', 'område', AREA],
      ['YDELSESTYPE', 'ydelsestype', types],
      ['ALDER', 'alder', ages],
      ['KØN', 'køn', [['TOT', 'I alt']]],
      ['Tid', 'tid', TIME],
      ['ContentsCode', 'indhold', [['AED022', 'Visiterede timer pr. uge']]],
    ],
    value,
  );
  writeFileSync(new URL('lejre-aed022.json', dir), `${JSON.stringify(table)}\n`);

  // --- Accounts: home care at about 430 kr. an hour (rising 2 % a year), two other services.
  const dkk = (x: number) => {
    const [whole, cents] = x.toFixed(2).split('.') as [string, string];
    return `${whole.replace(/\B(?=(\d{3})+$)/g, '.')},${cents}`;
  };
  const lines = ['Ydelse;År;Udgift'];
  for (const y of YEARS) {
    const weekly = BANDS.reduce((s, b) => s + hours.get(`${b.code}|${y}`)!, 0);
    const homeCare = weekly * 52 * 430 * 1.02 ** (y - 2010) * (1 + 0.02 * normal());
    const careHomes = 142e6 * 1.025 ** (y - 2010) * (1 + 0.015 * normal());
    const prevention = 6.5e6 * 1.03 ** (y - 2010) * (1 + 0.04 * normal());
    lines.push(`Hjemmehjælp;${y};${dkk(homeCare)} kr.`);
    lines.push(`Plejeboliger;${y};${dkk(careHomes)} kr.`);
    lines.push(`Forebyggende hjemmebesøg;${y};${dkk(prevention)}`);
  }
  writeFileSync(new URL('lejre-accounts.csv', dir), `${lines.join('\n')}\n`);
}
console.log(`wrote ${dir.pathname}: lejre-folk1am.json, lejre-aed06.csv, lejre-aed022.json, lejre-accounts.csv`);
