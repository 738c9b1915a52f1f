// Shared helpers for the annotation store/channel tests: a typed dispatch that throws on errors.
import type { ChannelInput, ChannelName, ChannelResult } from '../../../../src/shared/contract';
import type { Lab } from '../../../../src/main/lab/lab';

export async function ok<C extends ChannelName>(lab: Lab, channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
  const r = await lab.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelResult<C>;
}

export async function fails<C extends ChannelName>(lab: Lab, channel: C, input: unknown): Promise<{ code: string; message: string }> {
  const r = await lab.dispatch(channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
