// CUDA for tfjs-node-gpu: which runtime libraries it needs, which one failed, what to install,
// and a user-given library folder (--cuda-libs / Settings) added for the run process only.
//
// tfjs-node-gpu 4.x links TensorFlow 2.9, built for CUDA 11.2 and cuDNN 8.1 (Linux, Windows; no
// macOS). A current NVIDIA driver runs CUDA 11 programs, so only the CUDA 11 runtime libraries
// need to sit beside it; NVIDIA publishes them as pip wheels (README, "GPU with CUDA").
// See docs/methods.md ("Compute backends").
import fs from 'node:fs';
import path from 'node:path';

interface CudaLibrary {
  /** What TensorFlow dlopens on Linux / Windows. */
  linux: string;
  windows: string;
  /** The NVIDIA wheel that ships it. */
  wheel: string;
}

export const CUDA_LIBRARIES: readonly CudaLibrary[] = [
  { linux: 'libcudart.so.11.0', windows: 'cudart64_110.dll', wheel: 'nvidia-cuda-runtime-cu11' },
  { linux: 'libcublas.so.11', windows: 'cublas64_11.dll', wheel: 'nvidia-cublas-cu11' },
  { linux: 'libcublasLt.so.11', windows: 'cublasLt64_11.dll', wheel: 'nvidia-cublas-cu11' },
  { linux: 'libcufft.so.10', windows: 'cufft64_10.dll', wheel: 'nvidia-cufft-cu11' },
  { linux: 'libcurand.so.10', windows: 'curand64_10.dll', wheel: 'nvidia-curand-cu11' },
  { linux: 'libcusolver.so.11', windows: 'cusolver64_11.dll', wheel: 'nvidia-cusolver-cu11' },
  { linux: 'libcusparse.so.11', windows: 'cusparse64_11.dll', wheel: 'nvidia-cusparse-cu11' },
  { linux: 'libcudnn.so.8', windows: 'cudnn64_8.dll', wheel: 'nvidia-cudnn-cu11==8.*' },
];

/** The driver library: it comes with the NVIDIA driver, never from a wheel. */
const DRIVER = { linux: 'libcuda.so.1', windows: 'nvcuda.dll' };

function libName(l: { linux: string; windows: string }, platform: NodeJS.Platform): string {
  return platform === 'win32' ? l.windows : l.linux;
}

/** The environment variable a platform's loader searches. */
export function libraryPathVariable(platform: NodeJS.Platform = process.platform): 'PATH' | 'LD_LIBRARY_PATH' {
  return platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH';
}

/**
 * One line naming the CUDA/cuDNN library in a load error and what to install, or null when the
 * error names none.
 */
export function describeCudaError(message: string, platform: NodeJS.Platform = process.platform): string | null {
  if (new RegExp(`${DRIVER.linux.replace(/\./g, '\\.')}|${DRIVER.windows}`, 'i').test(message)) {
    return `the NVIDIA driver library ${libName(DRIVER, platform)} did not load: install the NVIDIA driver for your GPU`;
  }
  for (const l of CUDA_LIBRARIES) {
    const stem = libName(l, platform).replace(/\.so\..*$|\.dll$/i, '');
    if (new RegExp(`\\b${stem}[.\\d]*(\\.so|\\.dll)`, 'i').test(message)) {
      return `${libName(l, platform)} did not load: install the CUDA 11 runtime wheel ${l.wheel} (pip install --target DIR ${l.wheel}) and point the lab to DIR with --cuda-libs DIR or Settings`;
    }
  }
  if (/cuda|cudnn|cublas/i.test(message))
    return `a CUDA library did not load (${message}); see the README section "GPU with CUDA"`;
  return null;
}

/**
 * Folders inside a --cuda-libs folder that hold libraries: the folder itself, and the `lib`
 * (Linux) or `bin` (Windows) folders of NVIDIA's wheels installed with `pip install --target`
 * (DIR/nvidia/<name>/lib).
 */
function candidateDirs(dir: string): string[] {
  const out = [dir];
  const nvidia = path.join(dir, 'nvidia');
  if (fs.existsSync(nvidia) && fs.statSync(nvidia).isDirectory()) {
    for (const name of fs.readdirSync(nvidia).sort()) {
      for (const sub of ['lib', 'bin']) {
        const d = path.join(nvidia, name, sub);
        if (fs.existsSync(d) && fs.statSync(d).isDirectory()) out.push(d);
      }
    }
  }
  return out;
}

export interface CudaLibraryFolder {
  dir: string;
  /** Folders to prepend to the loader path of the run process. */
  libraryDirs: string[];
}

/**
 * Checks a --cuda-libs folder: it must exist and hold every CUDA 11 / cuDNN 8 runtime library
 * tfjs-node-gpu loads. Throws one line naming the problem.
 */
export function resolveCudaLibs(dir: string, platform: NodeJS.Platform = process.platform): CudaLibraryFolder {
  if (platform === 'darwin')
    throw new Error(
      '--cuda-libs: CUDA is not available on macOS (tfjs-node-gpu has no macOS build); use --backend webgpu',
    );
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) throw new Error(`--cuda-libs ${dir}: the folder does not exist`);
  if (!fs.statSync(abs).isDirectory()) throw new Error(`--cuda-libs ${dir}: not a folder`);
  const dirs = candidateDirs(abs);
  const found = new Set<string>();
  for (const d of dirs) for (const f of fs.readdirSync(d)) found.add(f);
  const missing = CUDA_LIBRARIES.filter((l) => !found.has(libName(l, platform)));
  if (missing.length > 0) {
    const wheels = [...new Set(missing.map((l) => l.wheel))].join(' ');
    throw new Error(
      `--cuda-libs ${dir}: missing ${missing.map((l) => libName(l, platform)).join(', ')} (pip install --target ${dir} ${wheels})`,
    );
  }
  const libraryDirs = dirs.filter((d) =>
    fs.readdirSync(d).some((f) => CUDA_LIBRARIES.some((l) => libName(l, platform) === f)),
  );
  return { dir: abs, libraryDirs };
}

/** The run process's environment with the folders prepended to the loader path. */
export function environmentWithLibraries(
  base: NodeJS.ProcessEnv,
  libraryDirs: readonly string[],
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv {
  if (libraryDirs.length === 0) return base;
  const key = libraryPathVariable(platform);
  const sep = platform === 'win32' ? ';' : ':';
  const existing = base[key];
  return { ...base, [key]: [...libraryDirs, ...(existing ? [existing] : [])].join(sep) };
}

/**
 * The CUDA/cuDNN libraries not found in the loader path of this process (LD_LIBRARY_PATH or PATH,
 * plus the usual system folders), with what to install: the diagnosis when tfjs-node-gpu loads but
 * TensorFlow sees no GPU (it then logs the failed dlopen and runs on the CPU).
 */
export function cudaLibrariesNotFound(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const sep = platform === 'win32' ? ';' : ':';
  const dirs = (env[libraryPathVariable(platform)] ?? '').split(sep).filter(Boolean);
  if (platform !== 'win32') dirs.push('/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib');
  const present = (name: string): boolean => dirs.some((d) => fs.existsSync(path.join(d, name)));
  return CUDA_LIBRARIES.filter((l) => !present(libName(l, platform))).map(
    (l) => `${libName(l, platform)} (${l.wheel})`,
  );
}
