import { runCli } from './run';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Not a usage error or a failed run: a fault in carebudget itself, reported in full.
    console.error(e);
    process.exitCode = 70;
  },
);
