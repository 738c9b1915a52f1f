// CLI commands call the lab through the same contract dispatcher as the UI, so inputs are
// validated by the same schemas and errors are the same structured errors.
import type { ChannelInput, ChannelName, ChannelResult } from '../../shared/contract';
import { LabError } from '../lab/errors';
import { Lab } from '../lab/lab';

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
