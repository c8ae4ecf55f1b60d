import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from './networks.js';

describe('resolveEndpoint', () => {
  it('resolves the SDK network names and passes ws(s) URLs through', () => {
    expect(resolveEndpoint('finney')).toBe('wss://entrypoint-finney.opentensor.ai:443');
    expect(resolveEndpoint('test')).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveEndpoint('local')).toBe('ws://127.0.0.1:9944');
    expect(resolveEndpoint('ws://10.0.0.5:9944')).toBe('ws://10.0.0.5:9944');
    expect(resolveEndpoint('finney', 'wss://my.node:443')).toBe('wss://my.node:443');
  });

  it('rejects anything else with BAD_NETWORK', () => {
    expect(() => resolveEndpoint('mainnet')).toThrow(expect.objectContaining({ code: 'BAD_NETWORK' }));
    expect(() => resolveEndpoint('http://x')).toThrow(expect.objectContaining({ code: 'BAD_NETWORK' }));
  });
});
