import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../../../src/main/lab/training/safetensors';

describe('safetensors', () => {
  it('round-trips tensors and metadata with the reference layout', () => {
    const tensors = new Map<string, SafeTensor>([
      ['b.weight', { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4.5, -5, 6e-8]) }],
      ['a.ids', { dtype: 'I32', shape: [2], data: new Int32Array([7, -1]) }],
    ]);
    const buf = encodeSafetensors(tensors, { format: 'pt' });
    const n = Number(buf.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
    expect(header.__metadata__).toEqual({ format: 'pt' });
    // Sorted names, contiguous offsets.
    expect(header['a.ids'].data_offsets).toEqual([0, 8]);
    expect(header['b.weight'].data_offsets).toEqual([8, 32]);
    expect(buf.length).toBe(8 + n + 32);
    const back = decodeSafetensors(buf);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(Array.from(back.tensors.get('b.weight')!.data)).toEqual(Array.from(tensors.get('b.weight')!.data));
    expect(back.tensors.get('a.ids')!.data).toBeInstanceOf(Int32Array);
    expect(back.tensors.get('b.weight')!.shape).toEqual([2, 3]);
  });

  it('reports corrupt files clearly', () => {
    expect(() => decodeSafetensors(Buffer.alloc(4), 'x.safetensors')).toThrow(/x.safetensors: file too short/);
    const bad = Buffer.alloc(16);
    bad.writeBigUInt64LE(100n, 0);
    expect(() => decodeSafetensors(bad, 'y')).toThrow(/header length 100 is out of range/);
  });
});
