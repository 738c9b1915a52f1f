// Entry of the `pst-lab` command (bundled to out/main/cli.js, started by bin/pst-lab.cjs).
import { runCli } from './cli/main';

void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then((code) => {
  process.exitCode = code;
});
