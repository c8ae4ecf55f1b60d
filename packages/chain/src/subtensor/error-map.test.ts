import { describe, expect, it } from 'vitest';
import { dispatchFailure, poolRejection } from './error-map.js';

describe('chain error mapping', () => {
  it('maps pool rejections by their custom error number', () => {
    const rpc = (n: number) => new Error(`1010: Invalid Transaction: Custom error: ${n}`);
    expect(poolRejection(rpc(6)).code).toBe('RATE_LIMITED');
    expect(poolRejection(rpc(12)).code).toBe('SERVING_RATE_LIMITED');
    expect(poolRejection(rpc(10)).code).toBe('NOT_REGISTERED');
    expect(poolRejection(rpc(200)).code).toBe('EXTRINSIC_FAILED');
    expect(poolRejection(new Error('1014: Priority is too low')).code).toBe('EXTRINSIC_FAILED');
  });

  it('maps SubtensorModule dispatch errors and keeps others generic', () => {
    expect(dispatchFailure('subtensorModule', 'SettingWeightsTooFast', '').code).toBe('RATE_LIMITED');
    expect(dispatchFailure('subtensorModule', 'IncorrectWeightVersionKey', '').code).toBe(
      'VERSION_KEY_TOO_LOW',
    );
    expect(dispatchFailure('subtensorModule', 'CommitRevealEnabled', '').code).toBe(
      'COMMIT_REVEAL_UNSUPPORTED',
    );
    const other = dispatchFailure('system', 'CallFiltered', 'filtered');
    expect(other.code).toBe('EXTRINSIC_FAILED');
    expect(other.message).toContain('system.CallFiltered');
  });
});
