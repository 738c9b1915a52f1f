import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelNames, contract } from '../../../src/shared/contract';
import type { Lab } from '../../../src/main/lab/lab';
import { openTempLab } from '../../helpers/tempLab';

// Inputs that no channel may accept: every channel's input is a strict object schema.
const MALFORMED: unknown[] = ['a string', 42, true, [], [1, 2], { __not_a_field__: 1 }];

let lab: Lab;
let cleanup: () => void;
beforeAll(() => {
  ({ lab, cleanup } = openTempLab());
});
afterAll(() => cleanup());

describe('the contract', () => {
  it('declares every channel input as an object schema that rejects unknown keys', () => {
    for (const name of channelNames) {
      const schema = contract[name].input as z.ZodType;
      expect(schema, name).toBeInstanceOf(z.ZodObject);
      expect(schema.safeParse({ __not_a_field__: 1 }).success, `${name} accepts unknown keys`).toBe(false);
    }
  });

  it.each(channelNames)('%s rejects malformed input with a structured error', async (name) => {
    for (const input of MALFORMED) {
      const result = await lab.dispatch(name, input);
      expect(result.ok, `${name} accepted ${JSON.stringify(input)}`).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INVALID_INPUT');
        expect(result.error.message).toContain(name);
        expect(Array.isArray(result.error.details)).toBe(true);
      }
    }
  });

  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    for (const bad of ['nope', 42, null, undefined, { channel: 'x' }, '__proto__', 'constructor']) {
      const result = await lab.dispatch(bad, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('round-trips settings and reports validation details per field', async () => {
    const updated = await lab.dispatch('settings.update', { annotatorName: ' alice ', theme: 'dark' });
    expect(updated).toMatchObject({ ok: true, value: { annotatorName: 'alice', theme: 'dark', backend: 'auto' } });
    const bad = await lab.dispatch('settings.update', { theme: 'purple' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.details).toEqual([expect.objectContaining({ path: ['theme'] })]);
    expect(await lab.dispatch('settings.get', {})).toMatchObject({ ok: true, value: { theme: 'dark' } });
  });

  it('emits settings.changed to subscribers', async () => {
    const seen: string[] = [];
    const off = lab.events.subscribe((m) => seen.push(m.name));
    await lab.dispatch('settings.update', { theme: 'light' });
    off();
    expect(seen).toEqual(['settings.changed']);
  });

  it('reports app info with the schema version and an active backend', async () => {
    const info = await lab.dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { runtime: 'test', schemaVersion: expect.any(Number) } });
    if (info.ok) expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain((info.value as { activeBackend: string }).activeBackend);
  });
});
