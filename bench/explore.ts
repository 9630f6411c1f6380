/**
 * The explorer page's answer time in Chromium (the npm-shipped one): the page for lejre-2034
 * (2,000 paths) built from the package, opened from disk, then the use-rate trend's central value
 * moved back and forth ten times after a warm-up change. Prints each change's time to the first
 * answer (300 paths, drawn) and to the full count (drawn), and their medians.
 *
 *   npm run bench:explore
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lejre2034 } from '../src/index';
import { median } from './common.js';
import { renderExplorer } from '../src/html/explore/page';
import { launchChromium } from '../test/support/browser';

const dir = mkdtempSync(join(tmpdir(), 'carebudget-bench-explore-'));
const file = join(dir, 'explorer.html');
writeFileSync(file, await renderExplorer(lejre2034()));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 120_000 });
  const firsts: number[] = [];
  const fulls: number[] = [];
  for (let round = 0; round < 11; round++) {
    const run = await page.evaluate(() => Number(document.body.dataset.run));
    // Timed in the page, from the change to the state the page sets once it has drawn.
    const [first, full] = await page.evaluate(
      async ([low, r]) => {
        const t0 = performance.now();
        const input = document.querySelector('input[data-input="home-care.useRateTrendPerYear"]') as HTMLInputElement;
        input.value = low ? input.min : input.max;
        input.dispatchEvent(new Event('change'));
        let firstAt = 0;
        for (;;) {
          await new Promise((res) => setTimeout(res, 5));
          const state = document.body.dataset.state;
          const now = Number(document.body.dataset.run);
          if (now > r && firstAt === 0 && (state === 'refining' || state === 'done')) firstAt = performance.now() - t0;
          if (now > r && state === 'done') return [firstAt, performance.now() - t0];
        }
      },
      [round % 2 === 0, run] as const,
    );
    if (round > 0) {
      firsts.push(first!);
      fulls.push(full!);
    }
  }
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`explorer, lejre-2034, ${cores} cores: ms from a change to`);
  console.log(
    `  the first answer (300 paths): ${firsts.map(Math.round).join(' ')}; median ${Math.round(median(firsts))}`,
  );
  console.log(`  the full 2,000 paths:        ${fulls.map(Math.round).join(' ')}; median ${Math.round(median(fulls))}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
