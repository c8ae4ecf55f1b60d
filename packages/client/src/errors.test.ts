import { isOmronError } from '@omron/core';
import { describe, expect, it } from 'vitest';
import { apiError, OmronClientError } from './errors.js';

describe('apiError', () => {
  it("reports an older validator's BAD_INPUT as INVALID_INPUT and keeps other codes", () => {
    const legacy = apiError('BAD_INPUT', 'inputs[0]: must have 784 values', 400);
    expect(legacy).toBeInstanceOf(OmronClientError);
    expect(legacy).toMatchObject({
      code: 'INVALID_INPUT',
      status: 400,
      message: 'inputs[0]: must have 784 values',
    });
    expect(apiError('NO_MINER', 'none answered', 504).code).toBe('NO_MINER');
    expect(isOmronError(legacy, 'INVALID_INPUT')).toBe(true);
    // The status is what the server answered, not one this error would make a server answer.
    expect(legacy.httpStatus).toBeUndefined();
  });
});
