// Minimal safetensors reader/writer (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header {name: {dtype, shape, data_offsets},
// "__metadata__": {str: str}}, then the raw little-endian tensor bytes. Readable by PyTorch,
// JAX, etc. Only the dtypes this lab stores are supported.
import os from 'node:os';

export type SafeDtype = 'F32' | 'I32';

export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

function assertLittleEndian(): void {
  // Typed arrays use the platform byte order; every platform Node ships for is little-endian.
  if (os.endianness() !== 'LE') throw new Error('safetensors: big-endian hosts are not supported');
}

export function encodeSafetensors(tensors: Map<string, SafeTensor>, metadata: Record<string, string> = {}): Buffer {
  assertLittleEndian();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name)!;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected) throw new Error(`safetensors: ${name} has ${t.data.length} values but shape [${t.shape}]`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, pos);
    pos += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(buf: Buffer, source = 'safetensors'): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  assertLittleEndian();
  if (buf.length < 8) throw new Error(`${source}: file too short for a safetensors header`);
  const n = Number(buf.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > buf.length) throw new Error(`${source}: header length ${n} is out of range (file has ${buf.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${source}: header is not valid JSON (${(err as Error).message})`);
  }
  const base = 8 + n;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (info.dtype !== 'F32' && info.dtype !== 'I32') throw new Error(`${source}: tensor ${name} has unsupported dtype ${String(info.dtype)}`);
    if (!Array.isArray(info.shape) || !Array.isArray(info.data_offsets)) throw new Error(`${source}: tensor ${name} lacks shape or data_offsets`);
    const [start, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * 4 || base + end > buf.length) throw new Error(`${source}: tensor ${name} has inconsistent offsets [${start}, ${end}] for shape [${info.shape}]`);
    // Copy into a fresh, aligned buffer (the file buffer's offset may not be 4-byte aligned).
    const bytes = new Uint8Array(end - start);
    bytes.set(buf.subarray(base + start, base + end));
    const data = info.dtype === 'F32' ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
    tensors.set(name, { dtype: info.dtype, shape: info.shape, data });
  }
  return { tensors, metadata };
}
