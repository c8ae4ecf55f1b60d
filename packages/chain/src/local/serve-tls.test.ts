import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devWallet } from '../test-support/wallets.js';
import { LocalChain } from './local-chain.js';

const NETUID = 2;
const KEY = `0x${'cd'.repeat(32)}` as const;
const OTHER = `0x${'ef'.repeat(32)}` as const;

describe('LocalChain: TLS axons (serve_axon_tls)', () => {
  let dir: string;
  let chain: LocalChain;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omron-localnet-tls-'));
    chain = await LocalChain.open({ dir, blockTimeMs: 20 });
    await chain.register(NETUID, await devWallet('validator'), { role: 'validator' });
  });
  afterEach(async () => {
    await chain.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the key, shows it in the metagraph, keeps it across plain serves and processes', async () => {
    const miner = await devWallet('miner-tls');
    const uid = await chain.register(NETUID, miner, { role: 'miner' });
    await chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 8443 });
    expect((await chain.metagraph(NETUID)).neurons[uid]?.certificate).toBeUndefined();
    await chain.serveAxon(NETUID, miner, {
      ip: '127.0.0.1',
      port: 8443,
      certificate: { algorithm: 1, publicKey: KEY.toUpperCase().replace('0X', '0x') as `0x${string}` },
    });
    expect((await chain.metagraph(NETUID)).neurons[uid]?.certificate).toEqual({
      algorithm: 1,
      publicKey: KEY,
    });
    // serve_axon without a key keeps the stored one, as on subtensor.
    await chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 9443 });
    await chain.serveAxon(NETUID, miner, {
      ip: '127.0.0.1',
      port: 9443,
      certificate: { algorithm: 1, publicKey: OTHER },
    });
    const reopened = await LocalChain.open({ dir, blockTimeMs: 20 });
    try {
      const neuron = (await reopened.metagraph(NETUID)).neurons[uid];
      expect([neuron?.axon.port, neuron?.certificate]).toEqual([9443, { algorithm: 1, publicKey: OTHER }]);
      expect((await reopened.metagraph(NETUID)).neurons[0]?.certificate).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });

  it('refuses keys the chain would not store', async () => {
    const miner = await devWallet('miner-tls');
    await chain.register(NETUID, miner, { role: 'miner' });
    const tooLong = { algorithm: 1, publicKey: `0x${'00'.repeat(65)}` as const };
    await expect(
      chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 1, certificate: tooLong }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
