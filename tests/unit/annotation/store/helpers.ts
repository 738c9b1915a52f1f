// Shared helpers for the annotation store/channel tests: a typed dispatch that throws on errors.
import type { ChannelName } from '../../../../src/shared/contract';
import type { Lab } from '../../../../src/main/lab/lab';

export { callOk as ok } from '../../../helpers/call';

export async function fails<C extends ChannelName>(lab: Lab, channel: C, input: unknown): Promise<{ code: string; message: string }> {
  const r = await lab.dispatch(channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
