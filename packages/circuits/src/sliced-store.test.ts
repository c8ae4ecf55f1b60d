import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeBundle, sha256Hex } from '@omron/prover';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMetadataFile } from './metadata.js';
import { seededRng } from './rng.js';
import { CircuitStore, chainId } from './store.js';

// A real sliced circuit: the test CNN cut into 3 slice circuits, real keys per slice, real proofs.
const SLICES = 3;

/** A metadata folder with the package's CNN declared as a sliced circuit. */
async function slicedCnnMetadataDir(slices = SLICES): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'omron-sliced-meta-'));
  const cnn = await readMetadataFile(resolve(import.meta.dirname, '..', 'circuits', 'cnn.json'));
  const meta = {
    name: 'cnn_sliced',
    description: `The test CNN proven as ${slices} parallel slices`,
    model: { path: cnn.modelPath, sha256: cnn.model.sha256 },
    compile: cnn.compile,
    inputs: cnn.inputs,
    slices,
    timeoutS: 120,
  };
  await writeFile(join(dir, 'cnn_sliced.json'), JSON.stringify(meta));
  return dir;
}

describe('a sliced circuit in the store', () => {
  let cacheDir: string;
  let store: CircuitStore;
  let metadataDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'omron-sliced-store-'));
    metadataDir = await slicedCnnMetadataDir();
    store = await CircuitStore.open({ role: 'prover', cacheDir, metadataDir });
  }, 300_000);

  it('is one circuit whose id is the chain id, with per-slice keys cached under each slice hash', async () => {
    const [circuit] = store.list();
    expect(circuit?.slices).toHaveLength(SLICES);
    const slices = circuit!.slices!;
    const verifier = store.verifier(circuit!.id);
    const vks = verifier.sliceArtifacts!.map((a) => a.verifyingKey);
    expect(circuit!.id).toBe(chainId(vks));
    // The published key is the slice keys as one bundle (the prover CLI's `--vk` of a sliced model).
    expect(decodeBundle(verifier.verifyingKey).map((b) => sha256Hex(b))).toEqual(
      vks.map((b) => sha256Hex(b)),
    );
    expect(new Set(slices.map((s) => s.model_hash)).size).toBe(SLICES);
    expect(circuit!.settings.input_shapes).toEqual(slices[0]!.input_shapes);
    expect(circuit!.settings.output_shapes).toEqual(slices.at(-1)!.output_shapes);
    const k = circuit!.settings.k;
    for (const [i, s] of slices.entries()) {
      const files = await readdir(join(cacheDir, 'keys', s.model_hash, `k${k}-insecure-dev`));
      expect(files).toContain('pk.bin');
      expect(sha256Hex(vks[i]!)).not.toBe(circuit!.id);
    }
    // A verifier store reopens the cached keys and agrees on the id.
    const verifierStore = await CircuitStore.open({ role: 'verifier', cacheDir, metadataDir });
    expect(verifierStore.list()[0]?.id).toBe(circuit!.id);
  });

  it('proves every slice from one forward pass; the chain verifies on the own inputs; tampering fails', async () => {
    const circuit = store.list()[0]!;
    const prover = store.prover(circuit.id);
    const verifier = store.verifier(circuit.id);
    const input = circuit.generateInput(seededRng(7));
    const values = prover.forward(input);
    expect(values).toHaveLength(SLICES);
    const chain = await Promise.all(values.map((v, i) => prover.proveSlice(i, v.inputs)));
    const own = verifier.expectedPublicInputs(input);
    expect(chain[0]!.publicInputs.inputs).toEqual(own);
    const claimed = chain.at(-1)!.publicInputs.outputs;
    expect(await verifier.verifyChain(chain, { inputs: own, outputs: claimed })).toBe(true);

    // Another input's chain, a re-proven slice, a reordered or shortened chain, a flipped byte: all false.
    const otherInput = circuit.generateInput(seededRng(8));
    const otherValues = prover.forward(otherInput);
    const reproven = await prover.proveSlice(1, otherValues[1]!.inputs);
    const mixed = [chain[0]!, reproven, ...chain.slice(2)];
    expect(await verifier.verifyChain(mixed, { inputs: own, outputs: claimed })).toBe(false);
    expect(
      await verifier.verifyChain(chain, {
        inputs: verifier.expectedPublicInputs(otherInput),
        outputs: claimed,
      }),
    ).toBe(false);
    expect(await verifier.verifyChain([...chain].reverse(), { inputs: own, outputs: claimed })).toBe(false);
    expect(await verifier.verifyChain(chain.slice(0, -1), { inputs: own, outputs: claimed })).toBe(false);
    const flipped = Uint8Array.from(chain[1]!.proof);
    flipped[64] = flipped[64]! ^ 1;
    const withFlip = chain.map((c, i) => (i === 1 ? { ...c, proof: flipped } : c));
    expect(await verifier.verifyChain(withFlip, { inputs: own, outputs: claimed })).toBe(false);
    expect(
      await verifier.verifyChain([{ proof: new Uint8Array(3), publicInputs: { inputs: [], outputs: [] } }], {
        inputs: own,
        outputs: claimed,
      }),
    ).toBe(false);
    // A single proof cannot stand for a sliced circuit.
    expect(await verifier.verify(chain[0]!.proof, { inputs: own, outputs: claimed })).toBe(false);
  }, 300_000);

  it('refuses whole-model proofs, bad slice indexes and bad inputs with typed errors', async () => {
    const circuit = store.list()[0]!;
    const prover = store.prover(circuit.id);
    await expect(prover.prove(circuit.generateInput())).rejects.toMatchObject({ code: 'SLICED_CIRCUIT' });
    await expect(prover.proveSlice(SLICES, [['1']])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(prover.proveSlice(1, [['1']])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => prover.forward([[1, 2]])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  }, 60_000);
});
