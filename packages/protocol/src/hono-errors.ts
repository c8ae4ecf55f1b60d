import { type ErrorBody, errorResponse } from '@omron/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface HonoOnErrorOptions {
  /** Wraps the `{ code, message }` body for an API that nests it (the validator API: `{ error: … }`). */
  envelope?: (body: ErrorBody) => unknown;
  /**
   * Sees every error answered 5xx, with the original (the body never carries a foreign error's message).
   * Default: `console.error`, as Hono's own handler.
   */
  log?: (err: unknown, c: Context) => void;
}

const defaultLog = (err: unknown) => console.error(err);

/**
 * The one `onError` of every Hono app in the project: an `OmronError` answers its own `httpStatus` with its
 * `{ code, message }`; anything else (an `OmronError` without HTTP meaning included) is a logged 500 `INTERNAL`.
 * A `retryAfterS` on the error becomes `retry-after`. Hono's own `HTTPException`s keep their response.
 * Axon routes answer before this runs: the axon middleware turns a handler's error into the SDK's `{ message }`
 * form with the same status rule.
 *
 * @example
 * app.onError(honoOnError({ log: (err) => logger.error({ err }, 'request failed') }));
 */
export function honoOnError(options: HonoOnErrorOptions = {}): ErrorHandler {
  return (err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    const { status, body } = errorResponse(err);
    if (status >= 500) (options.log ?? defaultLog)(err, c);
    const retryAfterS = (err as { retryAfterS?: unknown }).retryAfterS;
    if (typeof retryAfterS === 'number') c.header('retry-after', String(retryAfterS));
    return c.json(options.envelope ? options.envelope(body) : body, status as ContentfulStatusCode);
  };
}
