import { runCli } from './run';

// A reader that stops early (`carebudget presets | head -1`) closes the pipe: end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // Any other failure of the output: the output is gone, so there is nowhere to say more.
    process.exit(e.code === 'EPIPE' ? 0 : 2);
  });
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // runCli reports every error itself; this is a last guard, without a stack trace.
    process.stderr.write(`carebudget: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
