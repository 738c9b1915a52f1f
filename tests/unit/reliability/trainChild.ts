// Child process of checkpoint.test.ts: trains the micro set-up into argv[2]; the test sets
// PST_LAB_TEST_CRASH_CHECKPOINT so the process is killed in the middle of a checkpoint save.
import { initBackend } from '../../../src/main/lab/compute/backends';
import { train } from '../../../src/main/lab/training/trainer';
import { microConfig, toyData } from './trainFixture';

async function main(): Promise<void> {
  await initBackend('wasm');
  const data = toyData();
  await train({ config: microConfig(), train: data, val: data.slice(0, 4), runDir: process.argv[2]! });
}

void main();
