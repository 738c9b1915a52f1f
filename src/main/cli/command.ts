// What a CLI command is, and the errors that decide the exit code (0 ok, 1 runtime, 2 usage).
import type { ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CommandArgs {
  values: ParsedValues;
  positionals: string[];
  io: CommandIo;
  /** Resolved data directory (--data-dir, PST_LAB_DATA_DIR, or the default). */
  dataDir: string;
  json: boolean;
}

export interface Command {
  /** Words that select it, e.g. ['doctor'] or ['dataset', 'import']. */
  path: string[];
  usage: string;
  summary: string;
  options: OptionSpec;
  /** How many positionals it takes: [min, max]. */
  positionals: [number, number];
  /** Returns when done; long-running commands (serve) resolve when they should exit. */
  run(args: CommandArgs): Promise<void>;
}

/** What a command file writes: the usage line is the one place its words and flags are named. */
export interface CommandSpec {
  usage: string;
  summary: string;
  /** How many positionals it takes: [min, max]; none when left out. */
  positionals?: [number, number];
  run(args: CommandArgs): Promise<void>;
}

/** Flags every command takes (src/main/cli/main.ts adds them); a usage line may show them. */
const COMMON_FLAGS = new Set(['data-dir', 'json', 'help']);

/**
 * A usage line's command words and flags: the lowercase words after `pst-lab` up to the first
 * argument or flag are the path; `--name VALUE` is a string flag, `--name` alone a boolean one,
 * `[--name VALUE]...` one that may repeat. The common flags are left out.
 */
export function readUsage(usage: string): { path: string[]; options: OptionSpec } {
  const words = usage.trim().split(/\s+/).slice(1);
  const path: string[] = [];
  while (words.length > 0 && /^[a-z][a-z-]*$/.test(words[0]!)) path.push(words.shift()!);
  const options: OptionSpec = {};
  words.forEach((word, i) => {
    const flag = /^\[*--([a-z][a-z0-9-]*)(\]*)$/.exec(word);
    if (!flag || COMMON_FLAGS.has(flag[1]!)) return;
    const value = flag[2] === '' ? words[i + 1] : undefined;
    if (value === undefined || /^(\[|--|<|\|)/.test(value)) options[flag[1]!] = { type: 'boolean' };
    else options[flag[1]!] = { type: 'string', ...(value.endsWith(']...') ? { multiple: true } : {}) };
  });
  return { path, options };
}

export function defineCommand(spec: CommandSpec): Command {
  return { ...readUsage(spec.usage), positionals: [0, 0], ...spec };
}

/** How a long-running command (serve, worker) ends: on Ctrl+C or SIGTERM it stops, then resolves. */
export function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
