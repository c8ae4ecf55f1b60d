import { isOmronError } from '@omron/core';
import { describe, expect, it } from 'vitest';
import { loadConfig, usage, type WorkerConfig } from './config.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(argv, env) as WorkerConfig;

describe('worker config', () => {
  it('needs only the pool URL; defaults suit one worker per machine', () => {
    const c = load(['--pool.redis', 'redis://10.0.0.5:6379']);
    expect(c.pool).toEqual({
      redis: 'redis://10.0.0.5:6379',
      concurrency: 1,
      lock_ms: 10_000,
      stalled_interval_ms: 5000,
    });
    expect(c.http).toEqual({ port: 9100, ip: '127.0.0.1' });
    expect(c.subtensor.network).toBe('local');
  });

  it('takes OMRON_WORKER_* env vars, and flags win over them', () => {
    const env = {
      OMRON_WORKER_POOL_REDIS: 'redis://a:1',
      OMRON_WORKER_POOL_CONCURRENCY: '2',
      BT_SUBTENSOR_NETWORK: 'finney',
    };
    const c = load(['--pool.redis', 'rediss://b:2', '--circuits', 'mlp,cnn'], env);
    expect(c.pool.redis).toBe('rediss://b:2');
    expect(c.pool.concurrency).toBe(2);
    expect(c.subtensor.network).toBe('finney');
    expect(c.circuits).toEqual(['mlp', 'cnn']);
  });

  it('lists every problem as BAD_CONFIG naming the flag', () => {
    let err: unknown;
    try {
      load(['--pool.redis', 'http://x', '--pool.lock_ms', '10']);
    } catch (e) {
      err = e;
    }
    expect(isOmronError(err, 'BAD_CONFIG')).toBe(true);
    expect((err as Error).message).toMatch(/--pool\.redis: a redis:\/\/ or rediss:\/\/ URL/);
    expect((err as Error).message).toMatch(/--pool\.lock_ms: /);
    expect(() => load(['--pool.redis', 'redis://x', '--nope'])).toThrow(/nope/);
  });

  it('prints help with every flag', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
    for (const flag of ['--pool.redis', '--pool.lock_ms', '--http.port', '--srs.dir', '--circuits']) {
      expect(usage()).toContain(flag);
    }
  });
});
