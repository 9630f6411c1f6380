/**
 * Version 0.4.0 built beside the working tree, so the benches can time it in the same process
 * as the new build, alternating rounds. The sources come from git (the commit of 0.4.0), are
 * unpacked into `bench/.baseline/0.4.0/` (ignored by git) and built with this tree's tsup and
 * dependencies; a second call reuses the build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The commit of version 0.4.0 (also tagged `v0.4.0`). */
export const BASELINE_COMMIT = 'd34cca10ee8ca94738faff0198dba1e328c54b44';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The directory of the 0.4.0 build's `dist`, built first if it is missing. */
export function baselineDist(): string {
  const dir = join(root, 'bench', '.baseline', '0.4.0');
  const dist = join(dir, 'dist');
  if (existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'node', 'index.js'))) return dist;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', BASELINE_COMMIT], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `bench: cannot unpack version 0.4.0 (commit ${BASELINE_COMMIT.slice(0, 7)}) from git; the benches that compare ` +
        `with it need a clone with its history. (${(e as Error).message.split('\n')[0]})`,
    );
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  console.error('bench: building version 0.4.0 beside this tree (once; about half a minute) ...');
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return dist;
}
