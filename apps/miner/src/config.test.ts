import { mkdtemp, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@omron/config';
import { describe, expect, it } from 'vitest';
import { loadConfig, type MinerConfig } from './config.js';

function load(argv: string[], env: NodeJS.ProcessEnv = {}): MinerConfig {
  const c = loadConfig(argv, env);
  if (c === 'help') throw new Error('unexpected help');
  return c;
}

function configError(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    load(argv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('miner config', () => {
  it('with no flags runs on the local network with development defaults', () => {
    const c = load([]);
    expect(c.isLocal).toBe(true);
    expect(c.netuid).toBe(2);
    expect(c.wallet).toEqual({
      name: 'miner',
      hotkey: 'default',
      path: join(homedir(), '.omron', 'localnet', 'wallets'),
    });
    expect(c.axon).toMatchObject({ port: 8091, ip: '127.0.0.1' });
    expect(c.blacklist).toEqual({ min_stake: 1024, disabled: false });
    // Concurrency unset: the embedded pool sizes itself to the machine.
    expect(c.queue).toEqual({ max_length: 8 });
    expect(c.pool).toEqual({});
    expect(c.dev).toEqual({ delay_ms: 0, behavior: 'honest' });
  });

  it('reads Bittensor-style flags; a real network gets btcli wallet defaults', () => {
    const c = load([
      '--netuid=7',
      '--subtensor.network',
      'finney',
      '--wallet.name',
      'cold',
      '--axon.port',
      '9000',
      '--axon.external_ip',
      '203.0.113.5',
      '--disable-blacklist',
      '--queue.concurrency',
      '2',
      '--circuits',
      'mlp, cnn',
    ]);
    expect(c).toMatchObject({ netuid: 7, isLocal: false, circuits: ['mlp', 'cnn'] });
    expect(c.wallet).toEqual({
      name: 'cold',
      hotkey: 'default',
      path: join(homedir(), '.bittensor', 'wallets'),
    });
    expect(c.axon).toMatchObject({ port: 9000, ip: '0.0.0.0', external_ip: '203.0.113.5' });
    expect(c.blacklist.disabled).toBe(true);
    expect(c.queue.concurrency).toBe(2);
  });

  it('layers flags over env over the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miner-config-'));
    const file = join(dir, 'miner.json');
    await writeFile(file, JSON.stringify({ axon: { port: 1111 }, 'queue.max_length': 3, netuid: 4 }));
    const c = load(['--config', file, '--netuid', '5'], {
      BT_AXON_PORT: '2222',
      OMRON_MINER_LOG_LEVEL: 'warn',
    });
    expect(c.axon.port).toBe(2222);
    expect(c.queue.max_length).toBe(3);
    expect(c.netuid).toBe(5);
    expect(c.log.level).toBe('warn');
  });

  it('reports every invalid value by flag name', () => {
    const e = configError(['--axon.port', 'http', '--queue.concurrency', '0', '--dev.behavior', 'evil']);
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/--axon\.port: /);
    expect(e.message).toMatch(/--queue\.concurrency: /);
    expect(e.message).toMatch(/--dev\.behavior: /);
  });

  it('refuses development behaviours outside the local network', () => {
    const e = configError(['--subtensor.network', 'test', '--dev.behavior', 'garbage']);
    expect(e.message).toMatch(/dev\.\* behaviours are refused outside the local network/);
    expect(load(['--dev.behavior', 'wrong-input', '--dev.delay_ms', '50']).dev).toEqual({
      behavior: 'wrong-input',
      delay_ms: 50,
    });
  });

  it('rejects unknown flags and unreadable config files with usage', () => {
    expect(configError(['--nope']).message).toMatch(/Usage: miner/);
    expect(configError(['--config', '/nonexistent/miner.json']).message).toMatch(/cannot read config file/);
    expect(loadConfig(['--help'], {})).toBe('help');
  });
});
