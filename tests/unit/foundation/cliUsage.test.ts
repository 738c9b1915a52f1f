// A command's usage line is what `--help` and every usage error show: it must name exactly the
// words that select the command and the flags its parser accepts (readUsage reads them).
import { describe, expect, it } from 'vitest';
import { readUsage } from '../../../src/main/cli/command';
import { COMMANDS } from '../../../src/main/cli/commands';

describe('CLI usage lines', () => {
  it('reads the command words and string, boolean, repeatable and nested flags', () => {
    expect(
      readUsage(
        'pst-lab thing do <x> --a V [--b] [--c one|two] [--d DIR]... [--e redis://[u:p@]HOST[/DB] [--f] [--g FILE]] [--json] [--data-dir DIR]',
      ),
    ).toEqual({
      path: ['thing', 'do'],
      options: {
        a: { type: 'string' },
        b: { type: 'boolean' },
        c: { type: 'string' },
        d: { type: 'string', multiple: true },
        e: { type: 'string' },
        f: { type: 'boolean' },
        g: { type: 'string' },
      },
    });
    expect(readUsage('pst-lab students forward STUDENT|DIR --text T').path).toEqual(['students', 'forward']);
  });

  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))('%s: the usage names its words and flags', (_, c) => {
    expect(readUsage(c.usage)).toEqual({ path: c.path, options: c.options });
  });
});
