// The WebGPU backend: @tensorflow/tfjs-backend-webgpu on Dawn's Node binding (the `webgpu`
// package: prebuilt Dawn for Linux/Vulkan, macOS/Metal and Windows/D3D12), in the run process.
//
// We register the tfjs backend ourselves instead of letting the package do it, so that the lab
// chooses the adapter: a software adapter (SwiftShader, llvmpipe, WARP...) is slower than the CPU
// backends and is never picked automatically, only when a run asks for `webgpu` explicitly.
// Every op the model, methods and semantic losses use runs on tfjs-backend-webgpu 4.22, including
// the gradients; the wasm heap kernels stay wasm-only (they fall back to tfjs ops here).
//
// Linux: Dawn needs the Vulkan loader (libvulkan.so.1) and a Vulkan driver. When the loader is
// there but no driver is installed and the user named none (VK_ICD_FILENAMES / VK_DRIVER_FILES),
// the lab uses Chromium's SwiftShader driver if Chromium is installed (Debian ships it beside the
// browser): the adapter is then a software one, reported as such and used only when asked for.
// Without any driver Dawn is not started at all (it would only print Vulkan errors).
// See docs/methods.md ("Compute backends").
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeRequire } from './nodeRequire';

export interface GpuAdapterDetails {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation of WebGPU (SwiftShader, llvmpipe, WARP): correct but slow. */
  software: boolean;
  /** Set when the lab chose the Vulkan driver itself (Chromium's SwiftShader): its manifest. */
  vulkanDriver?: string;
}

interface DawnAdapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(desc: Record<string, unknown>): Promise<unknown>;
}
interface DawnGpu {
  requestAdapter(opts: { powerPreference: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}
type WebgpuPackage = { WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend };

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

let gpu: DawnGpu | null = null;
let adapterPromise: Promise<{ adapter: DawnAdapter | null; reason: string | null }> | null = null;

async function loadDawn(): Promise<DawnGpu> {
  if (gpu) return gpu;
  // Kernels first, while navigator.gpu is unset, so the package does not register its own
  // backend (which would take whatever adapter comes first).
  nodeRequire('@tensorflow/tfjs-backend-webgpu');
  const dawn = (await import('webgpu')) as unknown as {
    create(flags: string[]): DawnGpu;
    globals: Record<string, unknown>;
  };
  // tfjs-backend-webgpu uses the WebGPU constants (GPUBufferUsage...) as globals and checks
  // navigator.gpu, as in a browser.
  Object.assign(globalThis, dawn.globals);
  const created = dawn.create([]);
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: created, configurable: true });
  gpu = created;
  return created;
}

/** Where a missing Vulkan loader would be looked for (Linux), for the reason text. */
function vulkanLoaderFound(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/lib/x86_64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
  ];
  return dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')));
}

/** Chromium's software Vulkan driver (Debian, Ubuntu's chromium-browser). */
const CHROMIUM_SWIFTSHADER = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
];

/** Whether the Vulkan loader would find a driver manifest (the loader's own search path). */
function vulkanDriverInstalled(): boolean {
  const env = process.env;
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES) return true;
  const home = os.homedir();
  const config = [env.XDG_CONFIG_HOME || path.join(home, '.config'), ...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':')];
  const data = [
    env.XDG_DATA_HOME || path.join(home, '.local', 'share'),
    ...(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'),
  ];
  const dirs = [...config, '/etc', ...data, '/usr/local/share', '/usr/share'].map((d) =>
    path.join(d, 'vulkan', 'icd.d'),
  );
  return dirs.some((d) => {
    try {
      return fs.readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

/** Manifest of the driver the lab chose itself (Chromium's SwiftShader), else null. */
let chosenDriver: string | null = null;

/**
 * Linux: null when Dawn may start (a driver is installed, or Chromium's SwiftShader was selected
 * for this process), else why no adapter can be found.
 */
function prepareVulkan(): string | null {
  if (process.platform !== 'linux') return null;
  if (!vulkanLoaderFound()) {
    return "Dawn found no GPU adapter: the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt install libvulkan1, plus the GPU vendor's Vulkan driver)";
  }
  // The loader's drivers read it; without it they print an error on stderr.
  process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
  if (vulkanDriverInstalled()) return null;
  const swiftshader = CHROMIUM_SWIFTSHADER.find((f) => fs.existsSync(f));
  if (!swiftshader) {
    return "Dawn found no GPU adapter: the Vulkan loader is installed but no Vulkan driver is (install the GPU vendor's Vulkan driver; Debian/Ubuntu: mesa-vulkan-drivers for AMD and Intel)";
  }
  // Read by the Vulkan loader when Dawn creates its instance; inherited by the run processes.
  process.env.VK_ICD_FILENAMES = swiftshader;
  chosenDriver = swiftshader;
  return null;
}

function noAdapterReason(): string {
  const base = 'Dawn found no GPU adapter (no Vulkan, Metal or D3D12 driver for a GPU on this machine)';
  // Drivers Dawn rejects (Mesa's lavapipe) keep the lab from choosing SwiftShader itself; say how.
  const swiftshader =
    process.platform === 'linux' && !chosenDriver ? CHROMIUM_SWIFTSHADER.find((f) => fs.existsSync(f)) : undefined;
  return swiftshader
    ? `${base}; Chromium's software driver can be named with VK_ICD_FILENAMES=${swiftshader} (correct but slower than the CPU backends)`
    : base;
}

export function adapterDetails(a: DawnAdapter): GpuAdapterDetails {
  const i = a.info;
  const text = `${i.vendor} ${i.architecture} ${i.device} ${i.description}`;
  return {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    software: i.isFallbackAdapter === true || SOFTWARE.test(text),
    ...(chosenDriver
      ? { vulkanDriver: `${chosenDriver} (Chromium's SwiftShader: no other Vulkan driver is installed)` }
      : {}),
  };
}

/** The adapter Dawn offers (high-performance preference), asked once per process. */
function findAdapter(): Promise<{ adapter: DawnAdapter | null; reason: string | null }> {
  adapterPromise ??= (async () => {
    // Without the Vulkan loader or a driver Dawn can find nothing on Linux, and says so on stderr
    // from C++ (which would garble `doctor --json` and every CLI command that probes): answer
    // without starting it.
    const missing = prepareVulkan();
    if (missing) return { adapter: null, reason: missing };
    try {
      const g = await loadDawn();
      const adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
      return adapter ? { adapter, reason: null } : { adapter: null, reason: noAdapterReason() };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const msg = String(e?.message ?? err).split('\n')[0] ?? '';
      return {
        adapter: null,
        reason:
          e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND'
            ? `the webgpu package is not installed (${msg})`
            : `Dawn failed to load: ${msg}`,
      };
    }
  })();
  return adapterPromise;
}

export interface WebgpuProbe {
  adapter: GpuAdapterDetails | null;
  /** Why no adapter, else null. */
  reason: string | null;
}

export async function probeWebgpu(): Promise<WebgpuProbe> {
  const { adapter, reason } = await findAdapter();
  return { adapter: adapter ? adapterDetails(adapter) : null, reason };
}

/** Why automatic selection skips this adapter, or null when it may be chosen. */
export function autoSkipReason(adapter: GpuAdapterDetails): string | null {
  return adapter.software
    ? `only a software adapter (${adapter.description || adapter.device}): slower than the CPU backends, so never chosen automatically; ask for it with --backend webgpu`
    : null;
}

interface WebgpuKernelBackend {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: tf.DataId): void;
}

let addNChunked = false;
/**
 * AddN over more inputs than a shader stage may bind (often 8 storage buffers, one for the
 * output) fails validation on tfjs-backend-webgpu 4.22 (its Concat splits, its AddN does not);
 * a gradient summed over many heads reaches that. Sum in chunks, as Concat does.
 */
function installChunkedAddN(): void {
  if (addNChunked) return;
  const stock = tf.getKernel('AddN', 'webgpu');
  if (!stock) throw new Error('tfjs-backend-webgpu has no AddN kernel to wrap');
  addNChunked = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      const be = args.backend as unknown as WebgpuKernelBackend;
      const max = Math.max(2, be.device.limits.maxStorageBuffersPerShaderStage - 1);
      let xs = args.inputs as unknown as tf.TensorInfo[];
      const temps: tf.TensorInfo[] = [];
      while (xs.length > max) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < xs.length; i += max) {
          const part = xs.slice(i, i + max);
          if (part.length === 1) next.push(part[0]!);
          else {
            const sum = stock.kernelFunc({
              ...args,
              inputs: part as unknown as tf.NamedTensorInfoMap,
            }) as tf.TensorInfo;
            temps.push(sum);
            next.push(sum);
          }
        }
        xs = next;
      }
      const out = stock.kernelFunc({ ...args, inputs: xs as unknown as tf.NamedTensorInfoMap });
      for (const t of temps) be.disposeData(t.dataId);
      return out;
    },
  });
}

/** Registers and activates tfjs' webgpu backend on Dawn's adapter; returns the adapter. */
export async function activateWebgpu(): Promise<GpuAdapterDetails> {
  const { adapter, reason } = await findAdapter();
  if (!adapter) throw new Error(reason ?? 'no WebGPU adapter');
  const p = nodeRequire('@tensorflow/tfjs-backend-webgpu') as WebgpuPackage;
  installChunkedAddN();
  if (!tf.engine().registryFactory['webgpu']) {
    tf.registerBackend(
      'webgpu',
      async () => {
        const l = adapter.limits;
        // The same device request tfjs-backend-webgpu makes in a browser.
        const device = await adapter.requestDevice({
          requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
          requiredLimits: {
            maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
            maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
            maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
            maxBufferSize: l.maxBufferSize,
            maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
            maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
          },
        });
        return new p.WebGPUBackend(device, adapter.info);
      },
      1,
    );
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialise the webgpu backend on this adapter');
  await tf.ready();
  return adapterDetails(adapter);
}
