// Entry of the `pst-lab` command (bundled to out/main/cli.js, started by bin/pst-lab.cjs).
import { runCli } from './cli/main';

// `pst-lab ... | head`: the reader left, so nothing more can be printed. That is not an error of
// the command: stop quietly with success instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then((code) => {
  process.exitCode = code;
});
