// `require` for optional and native packages loaded lazily by the compute backends. It exists in
// the CommonJS build; ESM test runners need createRequire.
import { createRequire } from 'node:module';
import path from 'node:path';

export const nodeRequire: NodeJS.Require =
  typeof require === 'function' ? require : createRequire(path.join(process.cwd(), 'package.json'));
