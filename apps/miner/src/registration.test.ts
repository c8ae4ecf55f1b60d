import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { createDevelopmentWallet } from '@omron/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { MinerError } from './errors.js';
import { advertisedIp, ensureRegistered } from './registration.js';

const silent = pino({ level: 'silent' });

describe('start-up registration', () => {
  it('registers an unknown hotkey as a miner on the local network, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miner-reg-'));
    const chain = await LocalChain.open({ dir, blockTimeMs: 1000 });
    const wallet = await createDevelopmentWallet({
      path: join(dir, 'wallets'),
      name: 'm',
      hotkey: 'default',
    });
    const config = resolveConfig({ localnet: { dir, block_time_ms: 1000 } });
    const uid = await ensureRegistered(chain, config, wallet, silent);
    expect(await ensureRegistered(chain, config, wallet, silent)).toBe(uid);
    expect((await chain.metagraph(2)).neurons[uid]).toMatchObject({ validatorPermit: false });
    await chain.close();
  });

  it('on a real network, refuses an unregistered hotkey with NOT_REGISTERED and the btcli hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miner-reg-'));
    // The chain is the embedded one (no live network here); the config says finney, which selects the real-network rule.
    const chain = await LocalChain.open({ dir, blockTimeMs: 1000 });
    const wallet = await createDevelopmentWallet({
      path: join(dir, 'wallets'),
      name: 'm',
      hotkey: 'default',
    });
    const config = resolveConfig({ subtensor: { network: 'finney' }, netuid: 2 });
    const err = await ensureRegistered(chain, config, wallet, silent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect(err).toMatchObject({ code: 'NOT_REGISTERED' });
    expect((err as Error).message).toMatch(/btcli subnet register --netuid 2/);
    expect(await chain.isRegistered(2, wallet.hotkey.address)).toBe(false);
    await chain.close();
  });

  it('announces the external ip, else a specific bind address, and needs one on a real network', () => {
    expect(advertisedIp(resolveConfig({}))).toBe('127.0.0.1');
    expect(advertisedIp(resolveConfig({ axon: { port: 1, ip: '10.0.0.2' } }))).toBe('10.0.0.2');
    const real = resolveConfig({ subtensor: { network: 'finney' } });
    expect(() => advertisedIp(real)).toThrow(/set --axon.external_ip/);
    expect(
      advertisedIp(
        resolveConfig({ subtensor: { network: 'finney' }, axon: { port: 1, external_ip: '203.0.113.5' } }),
      ),
    ).toBe('203.0.113.5');
  });
});
