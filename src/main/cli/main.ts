// pst-lab: parse the command line, run one command, map failures to exit codes:
// 0 success, 1 runtime error, 2 usage error. Errors are one line on stderr.
import { parseArgs } from 'node:util';
import { LabError } from '../lab/errors';
import { resolveDataDir } from '../lab/paths';
import { UsageError, type Command, type CommandIo, type OptionSpec } from './command';
import { COMMANDS } from './commands';

const COMMON_OPTIONS: OptionSpec = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  return [
    'usage: pst-lab <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --data-dir DIR (or PST_LAB_DATA_DIR) and --json.',
    'Run `pst-lab <command> --help` for its options.',
  ].join('\n');
}

/** The command whose path matches the most leading words of argv. */
function findCommand(argv: readonly string[]): Command | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best;
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(overview() + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const command = findCommand(argv);
  if (!command) {
    const group = COMMANDS.filter((c) => c.path[0] === argv[0]);
    const hint = group.length ? group.map((c) => c.usage).join('\n       ') : 'pst-lab <command> [options]  (pst-lab --help lists them)';
    io.stderr(`pst-lab: unknown command "${argv.slice(0, 2).join(' ')}"\nusage: ${hint}\n`);
    return 2;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv.slice(command.path.length) as string[],
        options: { ...COMMON_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message.split('\n')[0]!, command.usage);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(`usage: ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const [min, max] = command.positionals;
    if (positionals.length < min || positionals.length > max) {
      throw new UsageError(
        positionals.length < min ? 'missing argument' : `unexpected argument "${positionals[max] ?? ''}"`,
        command.usage,
      );
    }
    const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined);
    await command.run({ values, positionals, io, dataDir, json: values.json === true });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`pst-lab: ${err.message}\nusage: ${err.usage}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof LabError ? ` [${err.code}]` : '';
    io.stderr(`pst-lab: error${code}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
