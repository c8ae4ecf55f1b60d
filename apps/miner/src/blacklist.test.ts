import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { createDevelopmentWallet } from '@omron/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlacklist, createPriority } from './blacklist.js';
import { MetagraphCache } from './metagraph-cache.js';

describe('blacklist and priority over a real local network', () => {
  let chain: LocalChain;
  let cache: MetagraphCache;
  const hotkeys: Record<string, string> = {};

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miner-blacklist-'));
    chain = await LocalChain.open({ dir, blockTimeMs: 1000 });
    for (const [name, role] of [
      ['validator', 'validator'],
      ['miner', 'miner'],
      ['stranger', undefined],
    ] as const) {
      const wallet = await createDevelopmentWallet({ path: join(dir, 'wallets'), name, hotkey: 'default' });
      hotkeys[name] = wallet.hotkey.address;
      if (role) await chain.register(2, wallet, { role });
    }
    cache = new MetagraphCache(chain, 2, { missRefreshMs: 0 });
  });
  afterAll(() => chain.close());

  it("accepts the local network's validator and refuses others with their reason", async () => {
    const check = createBlacklist({ lookup: (h) => cache.lookup(h), minStake: 1024, disabled: false });
    expect(await check(hotkeys.validator!)).toEqual({ blocked: false });
    expect(await check(hotkeys.miner!)).toMatchObject({ blocked: true, reason: 'low-stake' });
    expect(await check(hotkeys.stranger!)).toMatchObject({ blocked: true, reason: 'unregistered' });
  });

  it('requires a validator permit even with enough stake', async () => {
    const check = createBlacklist({ lookup: (h) => cache.lookup(h), minStake: 0, disabled: false });
    expect(await check(hotkeys.miner!)).toMatchObject({ blocked: true, reason: 'no-validator-permit' });
  });

  it('refuses when the stake bar is above the caller and when the lookup fails', async () => {
    const strict = createBlacklist({ lookup: (h) => cache.lookup(h), minStake: 1e12, disabled: false });
    expect(await strict(hotkeys.validator!)).toMatchObject({ blocked: true, reason: 'low-stake' });
    const broken = createBlacklist({
      lookup: () => Promise.reject(new Error('chain down')),
      minStake: 0,
      disabled: false,
    });
    expect(await broken(hotkeys.validator!)).toMatchObject({ blocked: true, reason: 'lookup-failed' });
  });

  it('lets everyone through when disabled', async () => {
    const open = createBlacklist({ lookup: (h) => cache.lookup(h), minStake: 1024, disabled: true });
    expect(await open(hotkeys.stranger!)).toEqual({ blocked: false });
  });

  it('ranks callers by stake, unknown callers last', async () => {
    const priority = createPriority((h) => cache.lookup(h));
    const [v, m, s] = await Promise.all(
      [hotkeys.validator!, hotkeys.miner!, hotkeys.stranger!].map(priority),
    );
    expect(v).toBeGreaterThan(m!);
    expect(m).toBeGreaterThan(s!);
    expect(s).toBe(0);
  });
});
