import { describe, expect, it } from 'vitest';
import { isProtocolError } from './errors.js';
import { NonceClock } from './nonce.js';
import { NonceGuard } from './nonce-guard.js';

const NOW = 1_736_000_000_000_000_000n;
const at = (deltaS: number) => NOW + BigInt(Math.round(deltaS * 1e9));

function refusal(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(isProtocolError(err, 'NONCE_INVALID')).toBe(true);
    return (err as Error).message;
  }
}

describe('NonceGuard', () => {
  it('accepts a first nonce newer than now − 4 s − timeout and refuses older ones', () => {
    const guard = new NonceGuard({ now: () => NOW });
    expect(
      refusal(() => guard.check({ hotkey: 'h', uuid: 'u', nonce: at(-15.9), timeoutS: 12 })),
    ).toBeUndefined();
    expect(refusal(() => guard.check({ hotkey: 'h', uuid: 'u', nonce: at(-16), timeoutS: 12 }))).toBe(
      'Nonce is too old: acceptable delta is 16.00 seconds but request was 16.00 seconds old',
    );
    expect(refusal(() => guard.check({ hotkey: 'h', uuid: 'u', nonce: at(-4.5), timeoutS: null }))).toMatch(
      /acceptable delta is 4\.00 seconds but request was 4\.50/,
    );
  });

  it('requires strictly increasing nonces per hotkey and uuid once one was accepted', () => {
    const guard = new NonceGuard({ now: () => NOW });
    guard.commit({ hotkey: 'h', uuid: 'u', nonce: at(-1) });
    expect(refusal(() => guard.check({ hotkey: 'h', uuid: 'u', nonce: at(-1), timeoutS: 12 }))).toBe(
      'Nonce is too old, a newer one was last processed',
    );
    expect(
      refusal(() => guard.check({ hotkey: 'h', uuid: 'u', nonce: at(-1) + 1n, timeoutS: 12 })),
    ).toBeUndefined();
    expect(
      refusal(() => guard.check({ hotkey: 'h', uuid: 'v', nonce: at(-1), timeoutS: 12 })),
    ).toBeUndefined();
    expect(
      refusal(() => guard.check({ hotkey: 'g', uuid: 'u', nonce: at(-1), timeoutS: 12 })),
    ).toBeUndefined();
  });

  it('keeps at most maxEndpoints, forgetting the least recently used', () => {
    const guard = new NonceGuard({ now: () => NOW, maxEndpoints: 2 });
    guard.commit({ hotkey: 'a', uuid: 'u', nonce: at(0) });
    guard.commit({ hotkey: 'b', uuid: 'u', nonce: at(0) });
    guard.commit({ hotkey: 'a', uuid: 'u', nonce: at(0.1) });
    guard.commit({ hotkey: 'c', uuid: 'u', nonce: at(0) });
    expect(guard.size).toBe(2);
    // 'b' was evicted: only the time window protects it now; 'a' is still remembered.
    expect(
      refusal(() => guard.check({ hotkey: 'b', uuid: 'u', nonce: at(0), timeoutS: 12 })),
    ).toBeUndefined();
    expect(
      refusal(() => guard.check({ hotkey: 'a', uuid: 'u', nonce: at(0.1), timeoutS: 12 })),
    ).toBeDefined();
  });
});

describe('NonceClock', () => {
  it('is strictly increasing even when the clock stands still or goes back', () => {
    const readings = [100n, 100n, 90n, 200n];
    const clock = new NonceClock(() => readings.shift() ?? 0n);
    expect([clock.next(), clock.next(), clock.next(), clock.next()]).toEqual([100n, 101n, 102n, 200n]);
  });

  it('reads wall-clock nanoseconds (19 digits, close to Date.now())', () => {
    const nonce = new NonceClock().next();
    expect(String(nonce)).toHaveLength(19);
    expect(Math.abs(Number(nonce / 1_000_000n) - Date.now())).toBeLessThan(1000);
  });
});
