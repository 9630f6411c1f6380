/**
 * The number of paths an example script is given on its command line (`npx tsx
 * examples/herning.ts 5000`), checked: a whole number from 1, written without a thousands
 * separator. A Danish "2.000" is refused, not read as 2.
 */
export function pathsArgument(fallback: number): number {
  // Piped into a reader that stops early (`| head`): end quietly, as the command line does.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const given = process.argv[2];
  if (given === undefined) return fallback;
  if (/^[1-9]\d*$/.test(given.trim())) return Number(given.trim());
  console.error(
    `paths: expected a whole number of paths from 1, without a thousands separator (such as ${fallback}); received ${JSON.stringify(given)}`,
  );
  process.exit(1);
}
