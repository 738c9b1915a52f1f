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
