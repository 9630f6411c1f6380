/**
 * Draws the attribution charts of docs/sensitivity.md from the runs the page shows
 * (`sobolSensitivity(lejre2034(), { n: 500 })`, for the treasury's and the provider's deviation).
 * Run: npx tsx scripts/sensitivity-figure.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attributionChart, lejre2034, sobolSensitivity } from '../src/index';
import { toSvg } from '../src/html/render';

const labels = {
  frame: 'Frame steering',
  activity: 'Activity steering',
  'use-rates': 'use rates',
  intensity: 'hours per recipient',
  prices: 'prices and wages',
  'care-home-flows': 'care-home flows',
};
const treasury = sobolSensitivity(lejre2034(), { n: 500 });
const provider = sobolSensitivity(lejre2034(), { n: 500, figure: 'providerDeviationPct' });
const out = (name: string) => join(import.meta.dirname, '..', 'docs', 'img', name);
writeFileSync(
  out('sensitivity-treasury-frame.svg'),
  await toSvg(
    attributionChart(
      treasury.rows.filter((r) => r.strategy === 'frame'),
      { labels, title: "The treasury's deviation under frame steering: share of its variance by driver" },
    ),
  ),
);
writeFileSync(
  out('sensitivity-provider-activity.svg'),
  await toSvg(
    attributionChart(
      provider.rows.filter((r) => r.strategy === 'activity'),
      { labels, title: "The provider's deviation under activity steering: share of its variance by driver" },
    ),
  ),
);
