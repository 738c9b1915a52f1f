// CLI commands call the lab through the same contract dispatcher as the UI, so inputs are
// validated by the same schemas and errors are the same structured errors.
import type { ChannelInput, ChannelName, ChannelResult } from '../../shared/contract';
import { LabError } from '../lab/errors';
import { Lab } from '../lab/lab';
import { defineCommand, type Command, type CommandArgs, type CommandSpec } from './command';
import { printJson, printTable } from './output';

export async function call<C extends ChannelName>(lab: Lab, channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
  const result = await lab.dispatch(channel, input);
  if (!result.ok) throw new LabError(result.error.code, result.error.message, result.error.details);
  return result.value as ChannelResult<C>;
}

/** Opens the lab for one command and always closes it. */
export async function withLab<T>(dataDir: string, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = Lab.open({ dataDir, runtime: 'cli' });
  try {
    return await fn(lab);
  } finally {
    lab.close();
  }
}

export interface LabCommandSpec<T> extends Omit<CommandSpec, 'run'> {
  /** Reads the flags (a usage error comes before the lab opens) and returns what to ask the lab. */
  ask(args: CommandArgs): (lab: Lab) => Promise<T>;
  /** The answer for people; --json prints `json(answer)`, by default the answer itself. */
  print(answer: T, args: CommandArgs): void;
  json?(answer: T): unknown;
}

/** A command that asks the lab one thing and prints the answer, as text or (--json) as JSON. */
export function labCommand<T>({ ask, print, json, ...spec }: LabCommandSpec<T>): Command {
  return defineCommand({
    ...spec,
    async run(args) {
      const answer = await withLab(args.dataDir, ask(args));
      if (args.json) printJson(args.io, json ? json(answer) : answer);
      else print(answer, args);
    },
  });
}

/** `pst-lab <things> list`: a table with a row per thing, or a hint when there is none yet. */
export function listCommand<R>(spec: {
  usage: string;
  summary: string;
  ask: (lab: Lab) => Promise<R[]>;
  /** What to print when the list is empty (how to make the first one). */
  empty: string;
  columns: string[];
  row: (r: R) => (string | number | null)[];
}): Command {
  return labCommand({
    usage: spec.usage,
    summary: spec.summary,
    ask: () => spec.ask,
    print(rows, { io }) {
      if (rows.length === 0) io.stdout(`${spec.empty}\n`);
      else printTable(io, spec.columns, rows.map(spec.row));
    },
  });
}
