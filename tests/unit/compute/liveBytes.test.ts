// Live tensor memory counted by the backend's buffers: each buffer once (a reshaped view shares
// its buffer and adds nothing), released bytes gone at once, the peak kept until reset; on every
// backend that runs here.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trackLiveBytes } from '../../../src/main/lab/compute/liveBytes';
import { TEST_BACKENDS, useBackend } from '../../helpers/backends';

/** webgpu frees a buffer its pending commands use when it submits them: submit before counting. */
function settle(): void {
  const be = tf.backend() as unknown as {
    commandEncoder?: unknown;
    endComputePassEncoder?: () => void;
    submitQueue?: () => void;
  };
  if (be.commandEncoder) {
    be.endComputePassEncoder?.();
    be.submitQueue?.();
  }
}

for (const b of TEST_BACKENDS) {
  describe.skipIf(b.skip !== null)(b.title, { timeout: b.timeout }, () => {
    beforeAll(() => useBackend(b));

    it('counts each buffer once, frees at dispose, keeps the peak', () => {
      const live = trackLiveBytes(1000)!;
      expect(live).not.toBeNull();
      try {
        expect(live.current()).toBe(1000);
        const a = tf.zeros([64, 32]); // 8 KiB
        expect(live.current()).toBe(1000 + 64 * 32 * 4);
        const view = tf.reshape(a, [32, 64]);
        expect(live.current()).toBe(1000 + 64 * 32 * 4);
        const c = tf.add(a, a); // a new buffer
        expect(live.current()).toBe(1000 + 2 * 64 * 32 * 4);
        a.dispose();
        settle();
        expect(live.current()).toBe(1000 + 2 * 64 * 32 * 4); // the view still holds the buffer
        view.dispose();
        settle();
        expect(live.current()).toBe(1000 + 64 * 32 * 4);
        c.dispose();
        settle();
        expect(live.current()).toBe(1000);
        expect(live.peak()).toBe(1000 + 2 * 64 * 32 * 4);
        live.reset();
        expect(live.peak()).toBe(1000);
      } finally {
        live.stop();
      }
    });
  });
}
