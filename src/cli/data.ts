/**
 * The command line's per-path data files (`--arrow`, `--parquet`), through carebudget/data.
 * Imported when such a file is asked for: Apache Arrow takes about 90 ms to load.
 */
import { resultToArrowFile, resultToParquet, type DataForm } from '../data/index';
import { ResultError } from '../simulation/result';
import type { RunResult } from '../results/streaming';
import type { RunRecord } from '../simulation/record';

/** The bytes of an Arrow or Parquet file of a finished run. */
export function dataOutput(
  kind: 'arrow' | 'parquet',
  run: { readonly result: RunResult; readonly record: RunRecord; readonly dataForm: DataForm },
): Uint8Array {
  if (run.result.format !== 'carebudget-result')
    throw new ResultError(`--${kind} needs every path's figures; the run kept streaming summaries`);
  const result = { ...run.result, run: run.record };
  return kind === 'arrow'
    ? resultToArrowFile(result, { form: run.dataForm })
    : resultToParquet(result, { form: run.dataForm });
}
