// The lab's error type: anything thrown with it reaches the caller as a structured error with its
// code; anything else becomes INTERNAL.
import type { ErrorCode, LabErrorShape } from '../../shared/result';

export class LabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'LabError';
  }

  toShape(): LabErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function notFound(what: string, id: string | number): LabError {
  return new LabError('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`);
}

/** Any thrown value as a structured error; internal errors keep their message but no stack. */
export function toErrorShape(err: unknown): LabErrorShape {
  if (err instanceof LabError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
