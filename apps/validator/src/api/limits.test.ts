import { describe, expect, it } from 'vitest';
import { RequestLimits } from './limits.js';

describe('RequestLimits', () => {
  it('allows a burst of perMinute, then refills continuously, per key', () => {
    let now = 0;
    const limits = new RequestLimits({ perMinute: 3, perKeyInFlight: 9, totalInFlight: 9 }, () => now);
    for (let i = 0; i < 3; i++) limits.take('a');
    expect(() => limits.take('a')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    limits.take('b'); // another key has its own bucket
    now += 20_000; // one token back (3 per minute)
    limits.take('a');
    expect(() => limits.take('a')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
  });

  it('caps in-flight work per key and in total, and frees a slot exactly once', () => {
    const limits = new RequestLimits({ perMinute: 100, perKeyInFlight: 2, totalInFlight: 3 });
    const a1 = limits.enter('a');
    limits.enter('a');
    expect(() => limits.enter('a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_IN_FLIGHT' }));
    limits.enter('b');
    expect(() => limits.enter('c')).toThrow(expect.objectContaining({ code: 'TOO_MANY_IN_FLIGHT' }));
    a1();
    a1(); // a second call must not free a second slot
    limits.enter('c');
    expect(() => limits.enter('d')).toThrow(expect.objectContaining({ code: 'TOO_MANY_IN_FLIGHT' }));
  });
});
