/**
 * Error codes that more than one package reports. Each names one condition with one meaning across the project,
 * so a caller that branches on `INVALID_INPUT` catches it whichever package threw. A package's code union takes
 * these with `Extract<SharedErrorCode, …>` instead of spelling a synonym of its own.
 */
export const SHARED_ERROR_CODES = {
  INVALID_INPUT: "a value the caller passed is malformed or out of range (the caller's fault; fix the input)",
  NOT_REGISTERED: 'the hotkey (or uid) is not registered on the subnet',
  NO_VALIDATOR_PERMIT: 'the hotkey has no validator permit (or too little stake) on the subnet',
  RATE_LIMITED: 'too many requests or extrinsics in a window; retry later',
  PAYLOAD_TOO_LARGE: 'a body or payload is over the size the receiver accepts',
  STATE_CORRUPT: 'a persisted file does not parse or fails its checks',
  CANCELLED: 'the operation was aborted by its caller or by shutdown',
  IO_ERROR: 'a file could not be read or written',
  INTERNAL: 'an unexpected failure; its message is not for the caller',
} as const;

export type SharedErrorCode = keyof typeof SHARED_ERROR_CODES;
