import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChainWallet, LocalChain } from '@omron/chain';
import { createDevelopmentWallet } from '@omron/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputHash } from './input-guard.js';
import { ValidatorLoop } from './loop.js';
import type { QueryMiner } from './ports.js';
import { cryptoRng } from './random.js';
import { StateStore } from './state.js';
import { type Behavior, commitmentCircuit, commitmentMiners } from './test-support/commitment-circuit.js';

const NETUID = 2;
let dir: string;
let chain: LocalChain;

function wallet(name: string): Promise<ChainWallet> {
  return createDevelopmentWallet({ path: join(dir, 'wallets'), name, hotkey: 'default' });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-loop-'));
  chain = await LocalChain.open({ dir: join(dir, 'net'), blockTimeMs: 50 });
});
afterEach(async () => {
  await chain.close();
  await rm(dir, { recursive: true, force: true });
});

/** uid 0 the validator; uids 1..4 serving miners; uid 5 registered but not serving. */
async function network() {
  const validator = await wallet('validator');
  expect(await chain.register(NETUID, validator, { role: 'validator' })).toBe(0);
  for (let i = 1; i <= 5; i++) {
    const miner = await wallet(`miner-${i}`);
    expect(await chain.register(NETUID, miner, { role: 'miner' })).toBe(i);
    if (i <= 4) await chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 9000 + i });
  }
  await chain.setHyperparameters(NETUID, { weightsRateLimit: 5 });
  return validator;
}

const BEHAVIORS: Record<number, { behavior: Behavior; delayMs?: number }> = {
  1: { behavior: 'honest', delayMs: 5 },
  2: { behavior: 'honest', delayMs: 400 },
  3: { behavior: 'wrong-input', delayMs: 5 },
  4: { behavior: 'garbage', delayMs: 5 },
};

async function makeLoop(validator: ChainWallet, query: QueryMiner, circuit = commitmentCircuit()) {
  const store = new StateStore(join(dir, 'state'));
  const state = await store.load();
  const loop = new ValidatorLoop({
    chain,
    network: 'local',
    netuid: NETUID,
    wallet: validator,
    selfUid: 0,
    circuits: [circuit],
    query,
    store,
    state,
    rng: cryptoRng,
    concurrency: 16,
    versionKey: 11_002_001,
    metagraphSyncIntervalMs: 60_000,
    log: pino({ level: 'silent' }),
  });
  return { loop, state, store };
}

describe('ValidatorLoop', () => {
  it('queries each serving miner once per step with fresh inputs, and ranks honest fast > slow > cheaters', async () => {
    const validator = await network();
    const circuit = commitmentCircuit();
    const sent: { uid: number; inputs: number[][] }[] = [];
    const { loop, state } = await makeLoop(
      validator,
      commitmentMiners(circuit, BEHAVIORS, (t, inputs) => sent.push({ uid: t.uid, inputs })),
      circuit,
    );
    for (let i = 0; i < 4; i++) await loop.step();

    expect(state.step).toBe(4);
    for (let step = 0; step < 4; step++) {
      expect(
        sent
          .slice(step * 4, step * 4 + 4)
          .map((s) => s.uid)
          .sort(),
      ).toEqual([1, 2, 3, 4]);
    }
    expect(new Set(sent.map((s) => inputHash(circuit.id, s.inputs))).size).toBe(sent.length);
    const last = state.steps.at(-1)!;
    expect(last.responses.map((r) => [r.uid, r.verified, r.reason])).toEqual([
      [1, true, undefined],
      [2, true, undefined],
      [3, false, 'INPUT_MISMATCH'],
      [4, false, 'PROOF_INVALID'],
    ]);
    const s = state.book.scores();
    expect(s[1]).toBeGreaterThan(s[2]!);
    expect(s[2]).toBeGreaterThan(0);
    expect([s[0], s[3], s[4], s[5]]).toEqual([0, 0, 0, 0]);
    expect(state.miners.get(3)).toMatchObject({ queries: 4, verified: 0 });
    expect(state.miners.get(1)).toMatchObject({ queries: 4, verified: 4, lastError: null });
  });

  it('scores an answer not signed by the miner like no answer, as RESPONSE_UNSIGNED, and pins announced TLS keys', async () => {
    const validator = await network();
    const key = { algorithm: 1, publicKey: `0x${'5a'.repeat(32)}` as const };
    await chain.serveAxon(NETUID, await wallet('miner-2'), { ip: '127.0.0.1', port: 9002, certificate: key });
    const circuit = commitmentCircuit();
    const targets = new Map<number, unknown>();
    const { loop, state } = await makeLoop(
      validator,
      commitmentMiners(circuit, { ...BEHAVIORS, 4: { behavior: 'unsigned', delayMs: 5 } }, (t) =>
        targets.set(t.uid, t.certificate),
      ),
      circuit,
    );
    await loop.step();
    await loop.step();
    const last = state.steps.at(-1)!;
    expect(last.responses.find((r) => r.uid === 4)).toMatchObject({
      verified: false,
      reason: 'RESPONSE_UNSIGNED',
    });
    expect(state.book.scores()[4]).toBe(0);
    expect(state.miners.get(4)?.lastError).toMatch(/^RESPONSE_UNSIGNED: /);
    expect(targets.get(2)).toEqual(key);
    expect(targets.get(1)).toBeUndefined();
  });

  it('sets weights on the chain when the rate limit allows, with the version key, and not again before it', async () => {
    const validator = await network();
    const circuit = commitmentCircuit();
    const { loop, state } = await makeLoop(validator, commitmentMiners(circuit, BEHAVIORS), circuit);
    expect(await loop.maybeSetWeights()).toBeNull(); // all scores 0: nothing worth setting
    await loop.step();
    await loop.step();
    const result = await loop.maybeSetWeights();
    expect(result?.uids).toEqual([1, 2]);
    expect(await loop.maybeSetWeights()).toBeNull();
    const onChain = await chain.lastWeights(NETUID, 0);
    expect(onChain).toMatchObject({ versionKey: 11_002_001, uids: [1, 2] });
    expect(onChain!.weights[0]).toBe(65535);
    expect(onChain!.weights[1]).toBeGreaterThan(0);
    expect(onChain!.weights[1]).toBeLessThan(65535);
    expect(state.weights?.uids).toEqual([1, 2]);
  });

  it('after a step killed mid-flight, a restarted loop has every saved score, no extra step, and never resends', async () => {
    const validator = await network();
    const circuit = commitmentCircuit();
    let query: QueryMiner = commitmentMiners(circuit, BEHAVIORS);
    const first = await makeLoop(validator, (...args) => query(...args), circuit);
    await first.loop.step();
    await first.loop.step();
    const savedScores = first.state.book.scores();

    // Third step: miner 2 hangs; the process dies while waiting for it.
    const sentInKilledStep: string[] = [];
    query = commitmentMiners(
      circuit,
      { ...BEHAVIORS, 2: { behavior: 'honest', delayMs: 60_000 } },
      (_t, inputs) => sentInKilledStep.push(inputHash(circuit.id, inputs)),
    );
    const kill = new AbortController();
    const inFlight = first.loop.step(kill.signal);
    while (sentInKilledStep.length < 4) await new Promise((r) => setTimeout(r, 5));
    kill.abort(new Error('killed'));
    await expect(inFlight).rejects.toThrow('killed');

    const second = await makeLoop(validator, commitmentMiners(circuit, BEHAVIORS), circuit);
    expect(second.state.step).toBe(2);
    expect(second.state.book.scores()).toEqual(savedScores);
    expect(second.state.steps.map((s) => s.step)).toEqual([1, 2]);
    for (const hash of sentInKilledStep) expect(second.state.guard.has(hash)).toBe(true);

    const record = await second.loop.step();
    expect(record?.step).toBe(3);
    expect(second.state.steps.map((s) => s.step)).toEqual([1, 2, 3]);
    const reloaded = await new StateStore(join(dir, 'state')).load();
    expect(reloaded.step).toBe(3);
    expect(reloaded.book.scores()).toEqual(second.state.book.scores());
  });

  it('resets a uid taken by a new hotkey and zeroes miners that stopped being queryable', async () => {
    const validator = await network();
    const circuit = commitmentCircuit();
    const { loop, state } = await makeLoop(validator, commitmentMiners(circuit, BEHAVIORS), circuit);
    await loop.step();
    expect(state.book.score(1)).toBeGreaterThan(0);
    state.book.syncHotkeys(
      state.book.scores().map((_, uid) => (uid === 1 ? 'old-hotkey' : state.book.hotkey(uid)!)),
    );
    expect(state.book.hotkey(1)).toBe('old-hotkey');
    const before2 = state.book.score(2);
    await loop.syncMetagraph(true);
    expect(state.book.score(1)).toBe(0);
    expect(state.book.score(2)).toBe(before2);
  });

  it('returns null and sends nothing when no miner serves', async () => {
    const validator = await wallet('validator');
    await chain.register(NETUID, validator, { role: 'validator' });
    let calls = 0;
    const { loop, state } = await makeLoop(validator, async () => {
      calls++;
      throw new Error('unreachable');
    });
    expect(await loop.step()).toBeNull();
    expect(calls).toBe(0);
    expect(state.step).toBe(0);
  });
});
