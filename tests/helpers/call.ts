// Calls a channel through the lab's dispatcher and returns its value, failing the test with the
// structured error when the call is refused.
import type { ChannelInput, ChannelName, ChannelResult } from '../../src/shared/contract';
import type { Lab } from '../../src/main/lab/lab';

export async function callOk<C extends ChannelName>(lab: Lab, channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
  const r = await lab.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelResult<C>;
}
