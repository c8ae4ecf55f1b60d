import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@omron/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envVarFor, loadConfig } from './config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('joins the local network with no flags', () => {
    const config = loadConfig([], {});
    const localnet = join(homedir(), '.omron', 'localnet');
    expect(config).toMatchObject({
      netuid: 2,
      wallet: { name: 'validator', hotkey: 'default', path: join(localnet, 'wallets') },
      subtensor: { network: 'local', chainEndpoint: undefined },
      localnet: { dir: localnet, blockTimeMs: 12_000 },
      cacheDir: join(homedir(), '.omron', 'cache'),
      stateDir: join(localnet, 'validator'),
      concurrency: 16,
      api: { host: '127.0.0.1', port: 8100 },
      metagraphSyncIntervalMs: 5_000,
    });
  });

  it('takes Bittensor-style flags in both spellings', () => {
    const config = loadConfig(
      [
        '--netuid',
        '7',
        '--wallet.name=alice',
        '--subtensor.network',
        'finney',
        '--api.port=0',
        '--concurrency',
        '4',
      ],
      {},
    );
    expect(config.netuid).toBe(7);
    expect(config.wallet).toEqual({ name: 'alice', hotkey: 'default', path: undefined });
    expect(config.subtensor.network).toBe('finney');
    expect(config.stateDir).toBe(join(homedir(), '.omron', 'validator', 'finney-7'));
    expect(config.api.port).toBe(0);
    expect(config.concurrency).toBe(4);
    expect(config.metagraphSyncIntervalMs).toBe(60_000);
  });

  it('layers flags over env vars over a config file over defaults', async () => {
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({ netuid: 3, wallet: { hotkey: 'from-file' }, 'step.interval_ms': 10, circuits: 'mlp' }),
    );
    const env = {
      [envVarFor('wallet.hotkey')]: 'from-env',
      [envVarFor('netuid')]: '4',
      OMRON_VALIDATOR_CONFIG: file,
    };
    const config = loadConfig(['--netuid', '5'], env);
    expect(envVarFor('wallet.hotkey')).toBe('OMRON_VALIDATOR_WALLET_HOTKEY');
    expect(config.netuid).toBe(5);
    expect(config.wallet.hotkey).toBe('from-env');
    expect(config.stepIntervalMs).toBe(10);
    expect(config.circuits).toEqual(['mlp']);
  });

  it('names an unknown flag and lists the known ones', () => {
    const err = errorOf(() => loadConfig(['--wallet.nmae', 'x'], {}));
    expect(err.code).toBe('UNKNOWN_FLAG');
    expect(err.message).toContain('--wallet.nmae');
    expect(err.message).toContain('--wallet.name');
    expect(errorOf(() => loadConfig(['positional'], {})).code).toBe('UNKNOWN_FLAG');
  });

  it('reports every bad value with its flag', () => {
    const err = errorOf(() =>
      loadConfig(
        [
          '--netuid',
          'two',
          '--api.port',
          '70000',
          '--subtensor.chain_endpoint',
          'http://x',
          '--log.level',
          'loud',
        ],
        {},
      ),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    for (const flag of ['--netuid', '--api.port', '--subtensor.chain_endpoint', '--log.level'])
      expect(err.message).toContain(flag);
    expect(errorOf(() => loadConfig(['--netuid'], {})).message).toContain('--netuid needs a value');
  });

  it('reports a bad env var, an unknown key in a config file and an unreadable file', async () => {
    expect(errorOf(() => loadConfig([], { OMRON_VALIDATOR_CONCURRENCY: '0' })).message).toContain(
      '--concurrency',
    );
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ wallet: { nmae: 'x' } }));
    const unknown = errorOf(() => loadConfig(['--config', file], {}));
    expect(unknown.code).toBe('INVALID_CONFIG');
    expect(unknown.message).toContain('wallet.nmae');
    const missing = errorOf(() => loadConfig(['--config', join(dir, 'missing.json')], {}));
    expect(missing.code).toBe('CONFIG_FILE_UNREADABLE');
    expect(missing.message).toContain('missing.json');
  });

  it('reads the inference API flags; --api.public stands alone and is refused off the local network', () => {
    const config = loadConfig(
      ['--api.public', '--api.allow', '5A, 5B', '--api.min_stake=10', '--api.inference_port', '8200'],
      {},
    );
    expect(config.api).toMatchObject({
      public: true,
      allow: ['5A', '5B'],
      minStake: 10,
      inferencePort: 8200,
      ratePerMin: 60,
      keyInFlight: 4,
      attempts: 3,
    });
    expect(loadConfig(['--api.public', 'false'], {}).api.public).toBe(false);
    expect(loadConfig([], { OMRON_VALIDATOR_API_PUBLIC: 'true' }).api.public).toBe(true);
    const refused = errorOf(() => loadConfig(['--subtensor.network', 'finney', '--api.public'], {}));
    expect(refused.code).toBe('INVALID_CONFIG');
    expect(refused.message).toMatch(/--api.public: .*local network only/);
  });
});
