import { describe, expect, it } from 'vitest';
import { errorResponse, isOmronError, OmronError } from './errors.js';

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
    expect(errorResponse(new WidgetError('WIDGET_BROKEN', 'bad')).status).toBe(500);
    const foreign = errorResponse(new Error('/home/op/.bittensor/secret'));
    expect(foreign).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  });
});
