import { OmronError, type SharedErrorCode } from '@omron/core';

/**
 * Stable error codes of `@omron/protocol`. Callers branch on `code`, never on the message.
 */
export type ProtocolErrorCode =
  | 'WALLET_NOT_FOUND'
  | 'KEYFILE_INVALID'
  | 'WALLET_LOCKED'
  | 'KEYFILE_UNSUPPORTED_ENCRYPTION'
  | 'KEYFILE_PASSWORD_REQUIRED'
  | 'KEYFILE_WRONG_PASSWORD'
  | 'JSON_INVALID'
  | Extract<SharedErrorCode, 'PAYLOAD_TOO_LARGE'>
  | 'SYNAPSE_INVALID'
  | 'SYNAPSE_UNKNOWN'
  | 'HEADERS_INVALID'
  | 'NONCE_INVALID'
  | 'TLS_CERTIFICATE_UNSUPPORTED'
  | 'TLS_PIN_MISMATCH';

/** What an axon answers when one of these reaches it from a request: the caller's fault. */
const HTTP_STATUS: Partial<Record<ProtocolErrorCode, number>> = {
  PAYLOAD_TOO_LARGE: 413,
};

/** The one error class this package throws; `code` is stable, `message` is for humans. */
export class ProtocolError extends OmronError<ProtocolErrorCode> {
  override readonly name = 'ProtocolError';

  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: HTTP_STATUS[code] });
  }
}

/** True when `err` is a {@link ProtocolError}, optionally with the given code. */
export function isProtocolError(err: unknown, code?: ProtocolErrorCode): err is ProtocolError {
  return err instanceof ProtocolError && (code === undefined || err.code === code);
}
