// Minimal safetensors reader/writer (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header {name: {dtype, shape, data_offsets},
// "__metadata__": {str: str}}, then the raw little-endian tensor bytes. Readable by PyTorch,
// JAX, etc. Float tensors are held as Float32Array in memory; F16 and BF16 files (how
// pretrained students are usually shipped) are converted to and from f32 at the file boundary.
import fs from 'node:fs';
import os from 'node:os';

export type SafeDtype = 'F32' | 'I32' | 'F16' | 'BF16';

export interface SafeTensor {
  /** Dtype on disk; F16 and BF16 values are held as Float32Array. */
  dtype: SafeDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

const BYTES: Record<SafeDtype, number> = { F32: 4, I32: 4, F16: 2, BF16: 2 };
/** Dtypes the header may name (so a file with an int64 buffer can still be opened). */
const KNOWN_DTYPES: Record<string, number> = { ...BYTES, F64: 8, I64: 8, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1 };

function assertLittleEndian(): void {
  // Typed arrays use the platform byte order; every platform Node ships for is little-endian.
  if (os.endianness() !== 'LE') throw new Error('safetensors: big-endian hosts are not supported');
}

// ---------------------------------------------------------------------------------------------
// Half-precision conversions (round to nearest even on the way down, as PyTorch does).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function bf16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outU = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outU[i] = bits[i]! << 16;
  return out;
}

export function f32ToBf16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    if ((x & 0x7fffffff) > 0x7f800000)
      out[i] = (x >>> 16) | 0x40; // NaN stays a (quiet) NaN
    else out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

export function f16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

export function f32ToF16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 31) {
      out[i] = sign | 0x7c00; // overflow -> infinity
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      // Subnormal: shift the full mantissa (with its implicit 1) and round to nearest even.
      const m = mant | 0x800000;
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      const rest = m & ((1 << shift) - 1);
      let r = m >>> shift;
      if (rest > half || (rest === half && r & 1)) r++;
      out[i] = sign | r;
    } else {
      let r = (e << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && r & 1)) r++; // may carry into the exponent: correct
      out[i] = sign | r;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

function toBytes(t: SafeTensor): Uint8Array {
  if (t.dtype === 'F16' || t.dtype === 'BF16') {
    if (!(t.data instanceof Float32Array))
      throw new Error(`safetensors: ${t.dtype} tensors must be given as Float32Array`);
    const bits = t.dtype === 'F16' ? f32ToF16(t.data) : f32ToBf16(t.data);
    return new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
  }
  if ((t.dtype === 'F32') !== t.data instanceof Float32Array)
    throw new Error(`safetensors: dtype ${t.dtype} does not match the data's array type`);
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

export function encodeSafetensors(tensors: Map<string, SafeTensor>, metadata: Record<string, string> = {}): Buffer {
  assertLittleEndian();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  const names = [...tensors.keys()].sort();
  const bytes: Uint8Array[] = [];
  for (const name of names) {
    const t = tensors.get(name)!;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected)
      throw new Error(`safetensors: ${name} has ${t.data.length} values but shape [${t.shape}]`);
    const b = toBytes(t);
    bytes.push(b);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + b.byteLength] };
    offset += b.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const b of bytes) {
    out.set(b, pos);
    pos += b.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SafeEntry {
  dtype: string;
  shape: number[];
  /** Byte offsets relative to the start of the data section. */
  start: number;
  end: number;
}

export interface SafeHeader {
  entries: Map<string, SafeEntry>;
  metadata: Record<string, string>;
  /** Absolute file offset of the data section. */
  dataStart: number;
}

/** Length of the JSON header from the first 8 bytes, checked against the file size. */
function headerLength(first8: Buffer, fileSize: number, source: string): number {
  if (fileSize < 8) throw new Error(`${source}: file too short for a safetensors header (${fileSize} bytes)`);
  const n = Number(first8.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > fileSize)
    throw new Error(
      `${source}: header length ${n} is out of range (file has ${fileSize} bytes): truncated or not a safetensors file`,
    );
  return n;
}

/** Parses and checks the header (dtypes, shapes, offsets within the file). */
function parseHeader(json: Buffer, fileSize: number, source: string): SafeHeader {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${source}: header is not valid JSON (${(err as Error).message}): truncated or corrupt`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new Error(`${source}: header is not a JSON object`);
  const dataStart = 8 + json.length;
  const entries = new Map<string, SafeEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const info = (raw ?? {}) as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const size = KNOWN_DTYPES[String(info.dtype)];
    if (size === undefined) throw new Error(`${source}: tensor ${name} has unknown dtype ${String(info.dtype)}`);
    if (!Array.isArray(info.shape) || !Array.isArray(info.data_offsets) || info.data_offsets.length !== 2)
      throw new Error(`${source}: tensor ${name} lacks shape or data_offsets`);
    const [start, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * size || start < 0 || dataStart + end > fileSize)
      throw new Error(
        `${source}: tensor ${name} has inconsistent offsets [${start}, ${end}] for ${String(info.dtype)} shape [${info.shape}] (file has ${fileSize} bytes)`,
      );
    entries.set(name, { dtype: info.dtype!, shape: info.shape, start, end });
  }
  return { entries, metadata, dataStart };
}

/** Raw bytes of one tensor -> values (f32 for every float dtype). */
function decodeTensor(name: string, e: SafeEntry, bytes: Uint8Array, source: string): SafeTensor {
  // `bytes` must be a fresh, aligned copy (the file buffer's offset may not be 4-byte aligned).
  switch (e.dtype) {
    case 'F32':
      return {
        dtype: 'F32',
        shape: e.shape,
        data: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
      };
    case 'I32':
      return {
        dtype: 'I32',
        shape: e.shape,
        data: new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
      };
    case 'F16':
      return {
        dtype: 'F16',
        shape: e.shape,
        data: f16ToF32(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2)),
      };
    case 'BF16':
      return {
        dtype: 'BF16',
        shape: e.shape,
        data: bf16ToF32(new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2)),
      };
    default:
      throw new Error(
        `${source}: tensor ${name} has dtype ${e.dtype}, which the lab cannot load as weights (F32, F16, BF16, I32)`,
      );
  }
}

export function decodeSafetensors(
  buf: Buffer,
  source = 'safetensors',
): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  assertLittleEndian();
  const n = headerLength(buf, buf.length, source);
  const header = parseHeader(buf.subarray(8, 8 + n), buf.length, source);
  const tensors = new Map<string, SafeTensor>();
  for (const [name, e] of header.entries) {
    const bytes = new Uint8Array(e.end - e.start);
    bytes.set(buf.subarray(header.dataStart + e.start, header.dataStart + e.end));
    tensors.set(name, decodeTensor(name, e, bytes, source));
  }
  return { tensors, metadata: header.metadata };
}

/**
 * A safetensors file opened for reading tensor by tensor: only the header is read up front, so
 * a folder can be validated (names, shapes, dtypes) without loading gigabytes of weights.
 */
export class SafetensorsFile {
  readonly header: SafeHeader;
  private constructor(
    readonly file: string,
    private readonly fd: number,
    header: SafeHeader,
  ) {
    this.header = header;
  }

  static open(file: string): SafetensorsFile {
    assertLittleEndian();
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const first = Buffer.alloc(8);
      fs.readSync(fd, first, 0, Math.min(8, size), 0);
      const n = headerLength(first, size, file);
      const json = Buffer.alloc(n);
      if (fs.readSync(fd, json, 0, n, 8) !== n) throw new Error(`${file}: could not read the ${n}-byte header`);
      return new SafetensorsFile(file, fd, parseHeader(json, size, file));
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  read(name: string): SafeTensor {
    const e = this.header.entries.get(name);
    if (!e) throw new Error(`${this.file}: no tensor ${name}`);
    const bytes = new Uint8Array(e.end - e.start);
    let done = 0;
    while (done < bytes.length) {
      const got = fs.readSync(this.fd, bytes, done, bytes.length - done, this.header.dataStart + e.start + done);
      if (got === 0) throw new Error(`${this.file}: tensor ${name} is cut short`);
      done += got;
    }
    return decodeTensor(name, e, bytes, this.file);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
