import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsFromCsv, backtest, fitHomeCare, historyFromStatbank } from '../../src/index';

/** The figures docs/fit.md quotes from the constructed Lejre history are the library's. */
describe('docs/fit.md', () => {
  const root = join(__dirname, '..', '..');
  const doc = readFileSync(join(root, 'docs', 'fit.md'), 'utf8').replace(/\s+/g, ' ');
  const read = (f: string) => readFileSync(join(root, 'examples', 'data', f), 'utf8');
  const history = historyFromStatbank(
    { population: read('lejre-folk1am.json'), recipients: read('lejre-aed06.csv'), hours: read('lejre-aed022.json') },
    { municipality: 'Lejre', groups: '67-79,80+', fixed: { YDELSESTYPE: 'Personlig og/eller praktisk hjælp' } },
  );
  const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)} %`;
  const quoted = (text: string) => expect(doc, `docs/fit.md quotes "${text}"`).toContain(text);

  it('the fit of the constructed history', () => {
    const f = fitHomeCare(history);
    const h = f.homeCare;
    const d = f.diagnostics;
    quoted(`(2010-2023, ${d.n} group-years)`);
    quoted(`a common trend of −${pct(-h.useRateTrendPerYear!.mean)} a year (sd ${pct(h.useRateTrendPerYear!.sd)}`);
    quoted(
      `year-to-year noise σ = ${pct(h.useRateNoiseSdPerYear!, 1)} (overdispersion ratio ${d.overdispersionRatio.toFixed(2)}`,
    );
    quoted(`use rates in 2023 of ${pct(h.useRates['67-79']!)} (67-79) and ${pct(h.useRates['80+']!)} (80+)`);
    quoted(
      `${h.hoursPerRecipientPerWeek!.median.toFixed(2)} hours per recipient a week rising ${pct(h.hoursTrendPerYear!.mean)} a year`,
    );
  });

  it('the backtest of the constructed history', () => {
    const costs = accountsFromCsv(read('lejre-accounts.csv'))['Hjemmehjælp']!;
    const r = backtest(undefined, history, {
      origins: [2016, 2017, 2018, 2019, 2020, 2021],
      horizon: 3,
      paths: 2000,
      costs,
    });
    const at = (q: 'recipients' | 'hours' | 'costKr', h = 1) =>
      r.summary.find((s) => s.quantity === q && s.horizon === h)!;
    const m = (x: number) => `${(x / 1e6).toFixed(2)} m kr`;
    quoted(
      `the cost one year ahead has a CRPS of ${m(at('costKr').crps)} against the straight line's ${m(at('costKr').trendError)}`,
    );
    quoted(
      `(${m(at('costKr', 2).crps).replace(' m kr', '')} against ${m(at('costKr', 2).trendError)}, ${m(at('costKr', 3).crps).replace(' m kr', '')} against ${m(at('costKr', 3).trendError)})`,
    );
    expect(() => backtest(undefined, history, { origins: [2016], horizon: 1, costs: { '2015': 1 } })).toThrow(
      /costs has no positive cost in the origin year 2016/,
    );
    const rec = at('recipients');
    const hrs = at('hours');
    quoted(
      `recipients one year ahead have a CRPS of ${rec.crps.toFixed(1)} against the straight line's error of ${rec.trendError.toFixed(1)}, and ${Math.round(100 * rec.coverage90)} % of outcomes inside the 90 % band`,
    );
    quoted(
      `visited hours a week one year ahead ${hrs.crps.toFixed(1)} against ${hrs.trendError.toFixed(1)}, and ${Math.round(100 * hrs.coverage90)} % inside`,
    );
  });
});
