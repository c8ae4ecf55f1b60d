import { OmronError } from '@omron/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import { honoOnError } from './hono-errors.js';

class LimitError extends OmronError<'RATE_LIMITED'> {
  readonly retryAfterS = 7;
}

function app(options: Parameters<typeof honoOnError>[0] = {}) {
  const app = new Hono();
  app.onError(honoOnError(options));
  app.get('/too-large', () => {
    throw new ProtocolError('PAYLOAD_TOO_LARGE', 'over 1 KiB');
  });
  app.get('/limited', () => {
    throw new LimitError('RATE_LIMITED', 'slow down', { httpStatus: 429 });
  });
  app.get('/no-status', () => {
    throw new ProtocolError('WALLET_NOT_FOUND', 'no wallet at /home/op/.bittensor/wallets/x');
  });
  app.get('/foreign', () => {
    throw new Error('/home/op/secret went wrong');
  });
  app.post('/limit', bodyLimit({ maxSize: 4 }), (c) => c.text('ok'));
  return app;
}

describe('honoOnError', () => {
  it("answers an error's own status and { code, message }", async () => {
    const res = await app().request('/too-large');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'over 1 KiB' });
  });

  it('sends retry-after and wraps the body in the envelope given', async () => {
    const res = await app({ envelope: (body) => ({ error: body }) }).request('/limited');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: 'slow down' } });
  });

  it('answers 500 INTERNAL without the message for errors without HTTP meaning, and logs the original', async () => {
    const logged: unknown[] = [];
    const server = app({ log: (err) => logged.push(err) });
    for (const path of ['/no-status', '/foreign']) {
      const res = await server.request(path);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ code: 'INTERNAL', message: 'internal error' });
      expect(text).not.toContain('/home/op');
    }
    expect(logged).toHaveLength(2);
    expect((logged[1] as Error).message).toBe('/home/op/secret went wrong');
  });

  it("keeps Hono's own HTTP exceptions", async () => {
    const res = await app().request('/limit', { method: 'POST', body: 'more than four bytes' });
    expect(res.status).toBe(413);
  });
});
