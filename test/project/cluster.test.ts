import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The long options of a command, from its help. */
async function optionsOf(command: string): Promise<Set<string>> {
  let out = '';
  await runCli([command, '--help'], { out: (t) => (out += t), err: () => {} });
  return new Set([...out.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

/** Every `--option` of a `carebudget <command>` line is one the command takes. */
async function expectKnownOptions(line: string, command: 'run' | 'merge'): Promise<void> {
  const known = await optionsOf(command);
  const used = [...line.matchAll(/\s--([a-z][a-z-]*)/g)].map((m) => m[1]!);
  expect(used.length).toBeGreaterThan(0);
  for (const o of used) expect(known.has(o), `--${o} of carebudget ${command}`).toBe(true);
}

describe('the cluster examples of docs/scale.md', () => {
  it('the Kubernetes Indexed Job runs shards 1 to N of one run, one a pod, with options run takes', async () => {
    const job = parse(read('examples/cluster/indexed-job.yaml')) as {
      apiVersion: string;
      kind: string;
      spec: {
        completionMode: string;
        completions: number;
        parallelism: number;
        template: { spec: { restartPolicy: string; containers: { command: string[]; args: string[] }[] } };
      };
    };
    expect([job.apiVersion, job.kind, job.spec.completionMode]).toEqual(['batch/v1', 'Job', 'Indexed']);
    const n = job.spec.completions;
    expect(job.spec.parallelism).toBeLessThanOrEqual(n);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const line = job.spec.template.spec.containers[0]!.args.join(' ');
    // Indexes run from 0 to N - 1; shards from 1 to N.
    expect(line).toContain(`--shard $((JOB_COMPLETION_INDEX + 1))/${n}`);
    expect(line).toMatch(/--json \/parts\/part-\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\.json/);
    await expectKnownOptions(line.slice(line.indexOf('carebudget run')), 'run');
  });

  it('the Slurm array job runs shards 1 to N, is valid shell, with options run takes', async () => {
    const script = read('examples/cluster/array-job.slurm');
    const n = Number(/#SBATCH --array=1-(\d+)/.exec(script)![1]);
    expect(n).toBeGreaterThan(1);
    expect(script).toContain(`--shard "\${SLURM_ARRAY_TASK_ID}/${n}"`);
    execFileSync('bash', ['-n', join(ROOT, 'examples/cluster/array-job.slurm')]);
    const line = script.slice(script.indexOf('npx carebudget run')).replace(/\\\n/g, ' ');
    await expectKnownOptions(line, 'run');
  });

  it('the local xargs lines run shards 1 to N and merge all N', async () => {
    const page = read('docs/scale.md');
    const block = /```sh\n(seq 1 (\d+) \| xargs[\s\S]*?)```/.exec(page)!;
    const n = Number(block[2]);
    const [runLine, mergeLine] = block[1]!.replace(/\\\n/g, ' ').trim().split('\n');
    expect(runLine).toContain(`--shard K/${n} --json part-K.json`);
    await expectKnownOptions(runLine!, 'run');
    expect(mergeLine).toContain(Array.from({ length: n }, (_, k) => `part-${k + 1}.json`).join(' '));
    await expectKnownOptions(mergeLine!, 'merge');
  });
});
