import { describe, expect, it } from 'vitest';
import { errorResponse, isOmronError, OMRON_ERROR, OmronError } from './errors.js';

class WidgetError extends OmronError<'WIDGET_BROKEN' | 'WIDGET_MISSING'> {
  override name = 'WidgetError';
}

describe('OmronError', () => {
  it('carries code, message, cause and status through a subclass', () => {
    const cause = new Error('disk');
    const err = new WidgetError('WIDGET_MISSING', 'no widget', { cause, httpStatus: 404 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('WidgetError');
    expect(err.code).toBe('WIDGET_MISSING');
    expect(err.cause).toBe(cause);
    expect(err.httpStatus).toBe(404);
    expect(isOmronError(err)).toBe(true);
    expect(isOmronError(err, 'WIDGET_MISSING')).toBe(true);
    expect(isOmronError(err, 'WIDGET_BROKEN')).toBe(false);
    expect(isOmronError(new Error('x'))).toBe(false);
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'WIDGET_MISSING', message: 'no widget' });
  });

  it('maps errors to responses: own status, 500 without one, and a foreign error never leaks its message', () => {
    expect(errorResponse(new WidgetError('WIDGET_BROKEN', 'bad', { httpStatus: 422 }))).toEqual({
      status: 422,
      body: { code: 'WIDGET_BROKEN', message: 'bad' },
    });
    // Without HTTP meaning an error is internal to the server: its message (maybe a path) stays in the log.
    expect(errorResponse(new WidgetError('WIDGET_BROKEN', '/etc/omron/bad')).body).toEqual({
      code: 'INTERNAL',
      message: 'internal error',
    });
    // An error of the same contract that could not extend the class (a standalone package) is recognised too.
    const marked = Object.assign(new Error('gone'), { [OMRON_ERROR]: true, code: 'GONE', httpStatus: 410 });
    expect(isOmronError(marked, 'GONE')).toBe(true);
    expect(errorResponse(marked)).toEqual({ status: 410, body: { code: 'GONE', message: 'gone' } });
    const foreign = errorResponse(new Error('/home/op/.bittensor/secret'));
    expect(foreign).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  });
});
