import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalChain } from '@omron/chain';
import { CircuitStore, encodeProof, readMetadataFile, toPublicSignals } from '@omron/circuits';
import { createDevelopmentWallet, Dendrite, decodeProofPayload, encodeProofPayload } from '@omron/protocol';
import { type RunningMiner, startMiner } from 'miner';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toValidatorCircuit } from './circuit-adapter.js';
import { ValidatorLoop } from './loop.js';
import type { QueryMiner, ServedCircuit } from './ports.js';
import { cryptoRng } from './random.js';
import { StateStore } from './state.js';
import { dendriteQuery } from './validator.js';
import type { Verdict } from './verify-response.js';

// End to end with real parts: a miner with its embedded pool proves a sliced circuit (the test CNN in 3 slices)
// on loopback; the validator loop queries it, verifies the chain bound to its own inputs and scores it.
const NETUID = 2;
const SLICES = 3;

let dir: string;
let chain: LocalChain;
let miner: RunningMiner;
let prover: CircuitStore;
let circuit: ServedCircuit;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-sliced-'));
  const metadataDir = join(dir, 'circuits');
  const cnn = await readMetadataFile(
    resolve(import.meta.dirname, '../../../packages/circuits/circuits/cnn.json'),
  );
  await mkdir(metadataDir);
  await writeFile(
    join(metadataDir, 'cnn_sliced.json'),
    JSON.stringify({
      name: 'cnn_sliced',
      description: `The test CNN proven as ${SLICES} parallel slices`,
      model: { path: cnn.modelPath, sha256: cnn.model.sha256 },
      compile: cnn.compile,
      inputs: cnn.inputs,
      slices: SLICES,
      timeoutS: 120,
    }),
  );
  const cacheDir = join(dir, 'cache');
  chain = await LocalChain.open({ dir: join(dir, 'localnet'), blockTimeMs: 1000 });
  const wallets = join(dir, 'localnet', 'wallets');
  const validator = await createDevelopmentWallet({ path: wallets, name: 'validator', hotkey: 'default' });
  expect(await chain.register(NETUID, validator, { role: 'validator' })).toBe(0);
  prover = await CircuitStore.open({ role: 'prover', cacheDir, metadataDir });
  const verifier = await CircuitStore.open({ role: 'verifier', cacheDir, metadataDir });
  const id = verifier.list()[0]!.id;
  circuit = toValidatorCircuit(verifier.get(id), verifier.verifier(id));
  expect(prover.list()[0]?.id).toBe(id);
  miner = await startMiner(
    {
      wallet: { name: 'miner-1' },
      axon: { port: 0 },
      localnet: { dir: join(dir, 'localnet'), block_time_ms: 1000 },
      cache: { dir: cacheDir },
      queue: { concurrency: 2 },
    },
    { logger: pino({ level: 'silent' }), store: prover },
  );
  // uid 2 cheats: it answers with the honest miner's chain with one slice re-proven on another input.
  const cheater = await createDevelopmentWallet({ path: wallets, name: 'miner-2', hotkey: 'default' });
  await chain.register(NETUID, cheater, { role: 'miner' });
  await chain.serveAxon(NETUID, cheater, { ip: '127.0.0.1', port: 9 });
}, 600_000);

afterAll(async () => {
  await miner?.close();
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a sliced circuit end to end', () => {
  it('the validator verifies the miner’s chain on its own inputs and scores it; a re-proven slice scores 0', async () => {
    expect(miner.uid).toBe(1);
    const dendrite = new Dendrite(await createValidatorWallet());
    const honest = dendriteQuery(dendrite);
    const payloads = new Map<number, string>();
    const query: QueryMiner = async (target, request, timeoutS, signal) => {
      const real = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey, uid: miner.uid };
      const result = await honest(real, request, timeoutS, signal);
      if (result.output !== null) payloads.set(target.uid, result.output);
      if (target.uid !== 2 || result.output === null) return result;
      // The cheat: slice 1 proven (honestly) on the boundary of another input.
      const payload = decodeProofPayload(result.output);
      if (payload.format_version !== 2) return result;
      const p = prover.prover(circuit.id);
      const other = p.forward(circuit.generateInput(cryptoRng));
      const reproven = await p.proveSlice(1, other[1]!.inputs);
      payload.slices[1] = {
        proof: encodeProof(reproven.proof),
        public_signals: toPublicSignals(reproven.publicInputs),
      };
      return { ...result, output: encodeProofPayload(payload) };
    };
    const store = new StateStore(join(dir, 'state'));
    const state = await store.load();
    const verdicts = new Map<number, Verdict>();
    const loop = new ValidatorLoop({
      chain,
      network: 'local',
      netuid: NETUID,
      wallet: await createValidatorWallet(),
      selfUid: 0,
      circuits: [circuit],
      query,
      store,
      state,
      rng: cryptoRng,
      concurrency: 2,
      versionKey: 11_002_001,
      metagraphSyncIntervalMs: 60_000,
      log: pino({ level: 'silent' }),
      observer: { onResponse: (_c, uid, verdict) => verdicts.set(uid, verdict) },
    });
    const record = await loop.step();
    expect(record).not.toBeNull();
    expect(
      state.steps
        .at(-1)!
        .responses.map((r) => [r.uid, r.verified])
        .sort(),
    ).toEqual([
      [1, true],
      [2, false],
    ]);
    // The honest answer is a chain of SLICES proofs; its proof size is the chain's total.
    const chainPayload = decodeProofPayload(payloads.get(1)!);
    expect(chainPayload.format_version).toBe(2);
    if (chainPayload.format_version !== 2) return;
    expect(chainPayload.slices).toHaveLength(SLICES);
    const total = chainPayload.slices.reduce((n, s) => n + (s.proof.length - 2) / 2, 0);
    expect(verdicts.get(1)).toEqual({ verified: true, proofSizeBytes: total });
    expect(verdicts.get(2)).toMatchObject({ verified: false, reason: 'PROOF_INVALID' });
    expect((verdicts.get(2) as { detail: string }).detail).toMatch(
      /slice 1's inputs are not slice 0's outputs/,
    );
    const scores = state.book.scores();
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[2]).toBe(0);
  }, 600_000);
});

function createValidatorWallet() {
  return createDevelopmentWallet({
    path: join(dir, 'localnet', 'wallets'),
    name: 'validator',
    hotkey: 'default',
  });
}
