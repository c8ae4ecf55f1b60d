import { describe, expect, it } from 'vitest';
import { InputGuard, inputHash } from './input-guard.js';

describe('InputGuard', () => {
  it('admits an input once, then refuses it', () => {
    const guard = new InputGuard();
    const hash = inputHash('c1', [[0.1, 0.2]]);
    expect(guard.admit(hash)).toBe(true);
    expect(guard.admit(hash)).toBe(false);
    expect(guard.size).toBe(1);
  });

  it('hashes the circuit id with the inputs: the same numbers for another circuit are another request', () => {
    expect(inputHash('c1', [[0.1]])).not.toBe(inputHash('c2', [[0.1]]));
    expect(inputHash('c1', [[0.1]])).not.toBe(inputHash('c1', [[0.1000001]]));
    expect(inputHash('c1', [[0.1], [0.2]])).not.toBe(inputHash('c1', [[0.1, 0.2]]));
  });

  it('forgets the oldest beyond its capacity', () => {
    const guard = new InputGuard(3);
    for (const h of ['a', 'b', 'c', 'd']) expect(guard.admit(h)).toBe(true);
    expect(guard.has('a')).toBe(false);
    expect(guard.toJSON()).toEqual(['b', 'c', 'd']);
    expect(guard.admit('a')).toBe(true);
    expect(guard.admit('c')).toBe(false);
  });

  it('survives a round trip through its persisted form in order, across many evictions', () => {
    const guard = new InputGuard(1000);
    for (let i = 0; i < 5000; i++) guard.admit(`h${i}`);
    const restored = new InputGuard(1000, guard.toJSON());
    expect(restored.toJSON()).toEqual(guard.toJSON());
    expect(restored.admit('h4999')).toBe(false);
    expect(restored.admit('h3999')).toBe(true);
  });
});
