import { copyFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '@omron/prover';
import { describe, expect, it } from 'vitest';
import { CircuitStoreError } from './errors.js';
import type { LoadProgress } from './key-cache.js';
import { DEFAULT_METADATA_DIR, readMetadataDirs } from './metadata.js';
import { seededRng } from './rng.js';
import { CircuitStore } from './store.js';

// An operator's own model folder outside the repository: metadata next to (or pointing at) an
// ONNX file anywhere on disk, pinned by sha256 like the package's circuits.
const repoRoot = resolve(DEFAULT_METADATA_DIR, '..', '..', '..');
const sharedDir = process.env.OMRON_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
const ageModel = join(sharedDir, 'fixtures', 'omron-age', 'network.onnx');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function operatorFolder(entries: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'omron-operator-'));
  for (const [name, meta] of Object.entries(entries))
    await writeFile(join(dir, `${name}.json`), JSON.stringify(meta));
  return dir;
}

describe('circuits from an operator folder', () => {
  it('serves a model that lives outside the repository and proves with it', async () => {
    const models = await mkdtemp(join(tmpdir(), 'omron-models-'));
    const onnx = join(models, 'my-cnn.onnx');
    await copyFile(join(repoRoot, 'tooling', 'models', 'cnn.onnx'), onnx);
    const dir = await operatorFolder({
      operator_cnn: {
        name: 'operator_cnn',
        description: 'an operator model, absolute path',
        model: { path: onnx, sha256: sha256Hex(await readFile(onnx)) },
        inputs: [{ shape: [1, 1, 8, 8], generator: { kind: 'uniform', min: -1, max: 1 } }],
      },
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'omron-store-'));
    const events: LoadProgress[] = [];
    const store = await CircuitStore.open({
      role: 'prover',
      cacheDir,
      extraMetadataDirs: [dir],
      circuits: ['operator_cnn'],
      onProgress: (e) => events.push(e),
    });
    const circuit = store.byName('operator_cnn');
    expect(events.find((e) => e.stage === 'verify-model')?.message).toContain(onnx);
    const input = circuit.generateInput(seededRng(3));
    const result = await store.prover(circuit.id).prove(input);
    const verifier = store.verifier(circuit.id);
    const inputs = verifier.expectedPublicInputs(input);
    expect(await verifier.verify(result.proof, { inputs, outputs: result.publicInputs.outputs })).toBe(true);
  }, 120_000);

  it('refuses a name that the package already defines, and an unreadable folder', async () => {
    const dir = await operatorFolder({
      cnn: {
        name: 'cnn',
        description: 'clash',
        model: { path: 'x.onnx', sha256: 'a'.repeat(64) },
        inputs: [{ shape: [1, 2], generator: { kind: 'uniform', min: 0, max: 1 } }],
      },
    });
    await expect(readMetadataDirs(DEFAULT_METADATA_DIR, [dir])).rejects.toMatchObject({
      code: 'BAD_METADATA',
    });
    const err = await readMetadataDirs(DEFAULT_METADATA_DIR, [join(dir, 'absent')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitStoreError);
    expect(err).toMatchObject({ code: 'BAD_METADATA' });
  });

  it('pins the Omron age model fixture by sha256 (skipped when the fixture is absent)', async (ctx) => {
    if (!(await exists(ageModel))) {
      console.warn(`SKIPPED: the Omron age fixture is absent (${ageModel}); set OMRON_SHARED_DIR`);
      ctx.skip();
      return;
    }
    const sha = sha256Hex(await readFile(ageModel));
    // The fixture README pins 74c9b017…5e8a.
    expect(sha.startsWith('74c9b017') && sha.endsWith('5e8a')).toBe(true);
    const meta = (sha256: string) => ({
      omron_age: {
        name: 'omron_age',
        description: 'Omron age-detection CNN from the operator folder',
        model: { path: ageModel, sha256 },
        inputs: [{ shape: [1, 3, 64, 64], generator: { kind: 'uniform', min: 0, max: 1 } }],
        timeoutS: 120,
      },
    });
    const [found] = (await readMetadataDirs(DEFAULT_METADATA_DIR, [await operatorFolder(meta(sha))])).filter(
      (m) => m.name === 'omron_age',
    );
    expect(found?.modelPath).toBe(ageModel);
    expect(found?.model.sha256).toBe(sha);
    const wrongPin = `${sha.slice(0, 63)}${sha.endsWith('0') ? '1' : '0'}`;
    const cacheDir = await mkdtemp(join(tmpdir(), 'omron-store-'));
    await expect(
      CircuitStore.open({
        role: 'verifier',
        cacheDir,
        extraMetadataDirs: [await operatorFolder(meta(wrongPin))],
        circuits: ['omron_age'],
      }),
    ).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });
});
