import { describe, expect, it } from 'vitest';
import { readInputs } from './cli.js';

describe('omron CLI input files', () => {
  it('reads [[...]], a flat array and { inputs }', () => {
    expect(readInputs([[1, 2]])).toEqual([[1, 2]]);
    expect(readInputs([1, 2])).toEqual([[1, 2]]);
    expect(readInputs({ inputs: [[3], [4]] })).toEqual([[3], [4]]);
    expect(() => readInputs({ x: 1 })).toThrow(/array/);
  });
});
