// The lab's refusal of a call, as the renderer throws it: the error's code, message and details
// (a validation refusal lists its issues there; lib/forms/issues.ts reads them). Apart from
// client.ts so that code reading refusals does not load the transports.
import type { LabErrorShape } from '../../../shared/result';

export class LabCallError extends Error {
  readonly code: LabErrorShape['code'];
  readonly details: unknown;
  constructor(error: LabErrorShape) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
  }
}
