// Output helpers: JSON for machines (--json), aligned text for people.
import type { CommandIo } from './command';

export function printJson(io: CommandIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

/** Prints `key  value` lines with the keys padded to one column. */
export function printFields(io: CommandIo, rows: [string, string | number | boolean | null][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.stdout(`${k.padEnd(width)}  ${v === null ? '-' : String(v)}\n`);
}

/** A plain text table with a header row. */
export function printTable(io: CommandIo, header: string[], rows: (string | number | null)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const r of cells) io.stdout(r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
}
