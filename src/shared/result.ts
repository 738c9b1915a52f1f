// The one answer shape of every contract channel, across IPC, WebSocket and HTTP.

export type ErrorCode =
  | 'INVALID_INPUT' // input failed the channel's schema
  | 'UNKNOWN_CHANNEL'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_FILE' // an input file is malformed; details carry file/line/field
  | 'UNSUPPORTED' // not possible in this runtime (e.g. a native dialog in serve mode)
  | 'FORBIDDEN' // the caller is not allowed (wrong frame, token or origin)
  | 'SCHEMA_TOO_NEW'
  | 'UNAVAILABLE' // a service the lab was asked to use (the queue's Redis) cannot be reached or refused
  | 'INTERNAL';

export interface LabErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type LabResult<T> = { ok: true; value: T } | { ok: false; error: LabErrorShape };
