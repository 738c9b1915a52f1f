// Measured dense matmul throughput of the active backend: the denominator of the model-FLOP
// utilisation (MFU) figure. We report the best rate over a few square sizes, i.e. what the
// backend can do on a large plain matmul, so the MFU is not flattered by a weak reference.
import * as tf from '@tensorflow/tfjs';

export interface MatmulRate {
  /** Best GFLOP/s over the sizes tried (2*n^3 FLOPs per n x n matmul). */
  gflops: number;
  bySize: { n: number; gflops: number }[];
}

export async function measureMatmulGflops(sizes: number[] = [256, 512, 1024], minSeconds = 0.4): Promise<MatmulRate> {
  const bySize: { n: number; gflops: number }[] = [];
  for (const n of sizes) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    const flops = 2 * n * n * n;
    // Warm-up: first calls pack weights / compile kernels.
    for (let i = 0; i < 2; i++) {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    }
    let reps = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < minSeconds * 1000 || reps < 3) {
      const c = tf.matMul(a, b);
      await c.data(); // forces completion on asynchronous backends
      c.dispose();
      reps++;
      elapsed = performance.now() - t0;
    }
    bySize.push({ n, gflops: (flops * reps) / (elapsed / 1000) / 1e9 });
    a.dispose();
    b.dispose();
  }
  return { gflops: Math.max(...bySize.map((s) => s.gflops)), bySize };
}
