import { isConfigError } from '@omron/config';
import { describe, expect, it } from 'vitest';
import { loadConfig, usage, type WorkerConfig } from './config.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(argv, env) as WorkerConfig;
const problem = (argv: string[]) => {
  try {
    load(argv);
  } catch (e) {
    return e;
  }
  throw new Error('expected a ConfigError');
};

describe('worker config (@omron/config)', () => {
  it('needs only the pool URL; defaults suit one worker per machine', () => {
    const c = load(['--pool.redis', 'redis://10.0.0.5:6379']);
    expect(c.pool).toEqual({
      redis: 'redis://10.0.0.5:6379',
      concurrency: 1,
      lock_ms: 10_000,
      stalled_interval_ms: 5000,
    });
    expect(c.metrics).toEqual({ port: 9100, host: '127.0.0.1' });
    expect(c.subtensor.network).toBe('local');
  });

  it('reads OMRON_<FLAG> (the miner’s OMRON_POOL_REDIS too) and BT_*, and flags win', () => {
    const env = {
      OMRON_POOL_REDIS: 'redis://a:1',
      OMRON_POOL_CONCURRENCY: '2',
      BT_SUBTENSOR_NETWORK: 'finney',
    };
    expect(load([], env).pool.redis).toBe('redis://a:1');
    const c = load(['--pool.redis', 'rediss://b:2', '--circuits', 'mlp,cnn'], env);
    expect(c.pool.redis).toBe('rediss://b:2');
    expect(c.pool.concurrency).toBe(2);
    expect(c.subtensor.network).toBe('finney');
    expect(c.circuits).toEqual(['mlp', 'cnn']);
  });

  it('lists every problem by flag and never echoes the Redis password', () => {
    const missing = problem([]);
    expect(isConfigError(missing, 'INVALID_CONFIG')).toBe(true);
    expect((missing as Error).message).toContain('--pool.redis');
    const bad = problem(['--pool.redis', 'http://:hunter2@x', '--pool.lock_ms', '10']);
    expect(isConfigError(bad, 'INVALID_CONFIG')).toBe(true);
    expect((bad as Error).message).toMatch(/--pool\.redis/);
    expect((bad as Error).message).toMatch(/--pool\.lock_ms/);
    expect((bad as Error).message).not.toContain('hunter2');
    expect(isConfigError(problem(['--pool.redis', 'redis://x', '--wallet.name', 'a']), 'UNKNOWN_FLAG')).toBe(
      true,
    );
  });

  it('prints help with every flag', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
    for (const flag of ['--pool.redis', '--pool.lock_ms', '--metrics.port', '--srs.dir', '--circuits']) {
      expect(usage()).toContain(flag);
    }
  });
});
