// CUDA diagnostics that can be checked without an NVIDIA GPU: naming the library in a load error
// with what to install, and validating a --cuda-libs folder (flat, or NVIDIA wheels installed with
// pip --target) before anything starts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CUDA_LIBRARIES,
  cudaLibrariesNotFound,
  describeCudaError,
  environmentWithLibraries,
  resolveCudaLibs,
} from '../../../src/main/lab/compute/cuda';
import { tempDirsPerTest } from '../../helpers/tempLab';

const tmpDir = tempDirsPerTest('pst-cuda-');

describe('describeCudaError', () => {
  it('names the failed library and the wheel that ships it', () => {
    const msg = 'libcudnn.so.8: cannot open shared object file: No such file or directory';
    expect(describeCudaError(msg, 'linux')).toMatch(
      /^libcudnn\.so\.8 did not load: install the CUDA 11 runtime wheel nvidia-cudnn-cu11==8\.\*/,
    );
    expect(describeCudaError('Could not load dynamic library cudart64_110.dll', 'win32')).toMatch(
      /^cudart64_110\.dll did not load: .*nvidia-cuda-runtime-cu11/,
    );
    expect(describeCudaError('libcublasLt.so.11: cannot open shared object file', 'linux')).toMatch(
      /^libcublasLt\.so\.11 .*nvidia-cublas-cu11/,
    );
  });

  it('tells a missing driver apart from missing runtime libraries, and ignores other errors', () => {
    expect(describeCudaError('libcuda.so.1: cannot open shared object file', 'linux')).toMatch(
      /NVIDIA driver library libcuda\.so\.1/,
    );
    expect(describeCudaError('GLIBC_2.34 not found', 'linux')).toBeNull();
  });
});

describe('resolveCudaLibs', () => {
  it('accepts a flat folder and a pip --target folder of NVIDIA wheels', () => {
    const flat = tmpDir();
    for (const l of CUDA_LIBRARIES) fs.writeFileSync(path.join(flat, l.linux), '');
    expect(resolveCudaLibs(flat, 'linux')).toEqual({ dir: flat, libraryDirs: [flat] });

    const wheels = tmpDir();
    for (const l of CUDA_LIBRARIES) {
      const lib = path.join(wheels, 'nvidia', l.wheel.replace(/^nvidia-|-cu11.*$/g, ''), 'lib');
      fs.mkdirSync(lib, { recursive: true });
      fs.writeFileSync(path.join(lib, l.linux), '');
    }
    const r = resolveCudaLibs(wheels, 'linux');
    expect(r.libraryDirs.length).toBeGreaterThan(1);
    expect(r.libraryDirs.every((d) => d.startsWith(path.join(wheels, 'nvidia')))).toBe(true);
  });

  it('rejects a missing folder, a file, a folder lacking libraries, and macOS, in one line each', () => {
    const d = tmpDir();
    expect(() => resolveCudaLibs(path.join(d, 'nope'), 'linux')).toThrow(
      /^--cuda-libs .*nope: the folder does not exist$/,
    );
    fs.writeFileSync(path.join(d, 'f'), '');
    expect(() => resolveCudaLibs(path.join(d, 'f'), 'linux')).toThrow(/not a folder$/);
    fs.writeFileSync(path.join(d, 'libcudart.so.11.0'), '');
    let message = '';
    try {
      resolveCudaLibs(d, 'linux');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /missing libcublas\.so\.11, .*libcudnn\.so\.8 \(pip install --target .* nvidia-cublas-cu11 /,
    );
    expect(message).not.toMatch(/libcudart/);
    expect(message).not.toContain('\n');
    expect(() => resolveCudaLibs(d, 'darwin')).toThrow(/not available on macOS/);
  });
});

describe('run process environment', () => {
  it('prepends the folders to the loader path of the platform, keeping the existing one', () => {
    expect(environmentWithLibraries({ LD_LIBRARY_PATH: '/usr/lib' }, ['/a', '/b'], 'linux').LD_LIBRARY_PATH).toBe(
      '/a:/b:/usr/lib',
    );
    expect(environmentWithLibraries({ PATH: 'C:\\bin' }, ['D:\\cuda'], 'win32').PATH).toBe('D:\\cuda;C:\\bin');
    expect(environmentWithLibraries({ X: '1' }, [], 'linux')).toEqual({ X: '1' });
  });

  it('lists the libraries not on the loader path', () => {
    const d = tmpDir();
    fs.writeFileSync(path.join(d, 'libcudnn.so.8'), '');
    const missing = cudaLibrariesNotFound({ LD_LIBRARY_PATH: d }, 'linux');
    expect(missing.some((m) => m.startsWith('libcudnn.so.8'))).toBe(false);
    expect(missing.some((m) => m.startsWith('libcudart.so.11.0 (nvidia-cuda-runtime-cu11)'))).toBe(true);
  });
});
