// --backend, --threads and --cuda-libs, shared by `train`, `bench train` and `experiment`:
// bad values end the command before anything starts (unknown backend / bad thread count: usage
// error, exit 2; a CUDA folder that is missing or lacks the libraries: one-line error, exit 1).
import path from 'node:path';
import { BACKEND_NAMES, MAX_THREADS, type BackendName } from '../../shared/types/app';
import { resolveCudaLibs } from '../lab/compute/cuda';
import { UsageError, type ParsedValues } from './command';
import { numberOption, stringOption } from './parse';

export const COMPUTE_OPTIONS = {
  backend: { type: 'string' as const },
  threads: { type: 'string' as const },
  'cuda-libs': { type: 'string' as const },
};

export const COMPUTE_USAGE = `[--backend ${BACKEND_NAMES.join('|')}] [--threads 1-${MAX_THREADS}] [--cuda-libs DIR]`;

export interface ComputeFlags {
  backend?: BackendName;
  threads?: number;
  /** Absolute path of a checked CUDA library folder. */
  cudaLibs?: string;
}

export function computeFlags(values: ParsedValues, usage: string): ComputeFlags {
  const backend = stringOption(values, 'backend');
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}; got "${backend}"`, usage);
  }
  const threads = numberOption(values, 'threads', usage, { integer: true, min: 1, max: MAX_THREADS });
  const dir = stringOption(values, 'cuda-libs');
  const cudaLibs = dir !== undefined ? resolveCudaLibs(path.resolve(dir)).dir : undefined;
  return {
    ...(backend ? { backend: backend as BackendName } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(cudaLibs ? { cudaLibs } : {}),
  };
}
