import { describe, expect, it } from 'vitest';
import { CircuitStoreError } from './errors.js';
import { elementCount, generateInput, inputSchema, parseInput } from './input.js';
import { seededRng } from './rng.js';

const schema = inputSchema([[1, 4]], 2);

function badInput(value: unknown): CircuitStoreError {
  try {
    parseInput(schema, value);
  } catch (e) {
    if (e instanceof CircuitStoreError) return e;
    throw e;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('circuit inputs', () => {
  it('accepts exactly-shaped finite inputs in range', () => {
    expect(parseInput(schema, [[0, 1.5, -2, 0.25]])).toEqual([[0, 1.5, -2, 0.25]]);
  });

  it.each([
    ['not an array', 'abc', /public_inputs: must be an array/],
    ['wrong tensor count', [[0, 0, 0, 0], [1]], /expected 1 input tensor\(s\), got 2/],
    ['wrong length', [[0, 0, 0]], /public_inputs\[0\]: must have 4 values \(shape \[1,4\]\), got 3/],
    ['a string element', [[0, 'x', 0, 0]], /public_inputs\[0\]\[1\]: must be a finite number/],
    ['NaN', [[0, 0, Number.NaN, 0]], /public_inputs\[0\]\[2\]/],
    ['out of range', [[0, 0, 0, 3]], /public_inputs\[0\]\[3\]: 3 is outside \[-2, 2\]/],
  ])('rejects %s with INVALID_INPUT and a message naming the place', (_label, value, message) => {
    const e = badInput(value);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
  });

  it('generates inputs of the right size inside the generator range, reproducibly', () => {
    const spec = [{ shape: [1, 5, 1], generator: { kind: 'uniform' as const, min: 0, max: 0.85 } }];
    const a = generateInput(spec, seededRng(7));
    const b = generateInput(spec, seededRng(7));
    const c = generateInput(spec, seededRng(8));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).toHaveLength(elementCount([1, 5, 1]));
    expect(a[0]!.every((v) => v >= 0 && v < 0.85)).toBe(true);
  });

  it('seededRng is uniform enough that its mean is near 1/2', () => {
    const rng = seededRng(1);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += rng();
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});
