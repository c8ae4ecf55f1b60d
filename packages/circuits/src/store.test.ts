import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@omron/prover';
import { beforeAll, describe, expect, it } from 'vitest';
import { bindProof } from './binding.js';
import { CircuitStoreError } from './errors.js';
import type { LoadProgress } from './key-cache.js';
import { encodeProof } from './proof-hex.js';
import { fromPublicSignals, splitByShapes, toPublicSignals } from './public-values.js';
import { seededRng } from './rng.js';
import { CircuitStore } from './store.js';

// Real keys, real proofs on the smallest test model; the cache dir is fresh per run.
const CIRCUIT = 'cnn';

describe('CircuitStore with the real prover', () => {
  let cacheDir: string;
  let prover: CircuitStore;
  const events: LoadProgress[] = [];

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'omron-store-'));
    prover = await CircuitStore.open({
      role: 'prover',
      cacheDir,
      circuits: [CIRCUIT],
      onProgress: (e) => events.push(e),
    });
  }, 120_000);

  it('builds keys once, reports progress, and names the circuit by the sha256 of its verifying key', async () => {
    const [circuit] = prover.list();
    expect(prover.list()).toHaveLength(1);
    expect(circuit?.name).toBe(CIRCUIT);
    expect(circuit?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(circuit?.insecureSrs).toBe(true);
    expect(circuit?.inputShape).toEqual([1, 1, 8, 8]);
    const stages = events.filter((e) => e.circuit === CIRCUIT).map((e) => e.stage);
    expect(stages).toEqual(['verify-model', 'compile', 'keygen', 'ready']);
    expect(events.some((e) => e.circuit === 'srs' && /INSECURE/.test(e.message))).toBe(true);
    expect(prover.disabled.map((d) => d.name)).toEqual([]);
    const keyDir = join(
      cacheDir,
      'keys',
      circuit!.settings.model_hash,
      `k${circuit!.settings.k}-insecure-dev`,
    );
    expect((await readdir(keyDir)).sort()).toEqual([
      'pk.bin',
      'pk.bin.sha256',
      'settings.json',
      'settings.json.sha256',
      'vk.bin',
      'vk.bin.sha256',
    ]);
  });

  it('proves a generated input and a verifier-only store (cached keys, same id) accepts the proof', async () => {
    const circuit = prover.list()[0]!;
    const input = circuit.generateInput(seededRng(1));
    const result = await prover.prover(circuit.id).prove(input);
    const seen: LoadProgress[] = [];
    const verifierStore = await CircuitStore.open({
      role: 'verifier',
      cacheDir,
      circuits: [CIRCUIT],
      onProgress: (e) => seen.push(e),
    });
    expect(seen.filter((e) => e.circuit === CIRCUIT).map((e) => e.stage)).toEqual([
      'verify-model',
      'compile',
      'load-keys',
      'ready',
    ]);
    expect(verifierStore.has(circuit.id)).toBe(true);
    const verifier = verifierStore.verifier(circuit.id);
    // The published artifacts: the id pins the verifying key, the settings are the prover's own text.
    expect(sha256Hex(verifier.verifyingKey)).toBe(circuit.id);
    expect(JSON.parse(verifier.settingsJson)).toEqual(circuit.settings);
    // Input binding: the verifier recomputes the quantized inputs from its own floats.
    const expected = verifier.expectedPublicInputs(input);
    expect(expected).toEqual(result.publicInputs.inputs);
    const wire = fromPublicSignals(circuit.settings, toPublicSignals(result.publicInputs));
    expect(await verifier.verify(result.proof, { inputs: expected, outputs: wire.outputs })).toBe(true);
    // Another input, a flipped proof byte or garbage: rejected, never thrown.
    const other = verifier.expectedPublicInputs(circuit.generateInput(seededRng(2)));
    expect(await verifier.verify(result.proof, { inputs: other, outputs: wire.outputs })).toBe(false);
    const flipped = Uint8Array.from(result.proof);
    flipped[100] = flipped[100]! ^ 1;
    expect(await verifier.verify(flipped, wire)).toBe(false);
    expect(await verifier.verify(new Uint8Array(7), wire)).toBe(false);
    expect(() => verifierStore.prover(circuit.id)).toThrow(expect.objectContaining({ code: 'WRONG_ROLE' }));
    // The wire round trip through the one binding: the honest proof binds and verifies; one input off by one
    // is refused by the binding, and by the verifier if a caller skipped it.
    const encoded = { proof: encodeProof(result.proof), publicSignals: toPublicSignals(result.publicInputs) };
    const bound = bindProof(expected, encoded);
    expect(bound.ok).toBe(true);
    if (!bound.ok) return;
    const outputs = splitByShapes(bound.outputs, circuit.settings.output_shapes)!;
    expect(await verifier.verify(bound.proof, { inputs: expected, outputs })).toBe(true);
    const offByOne = expected.map((row, r) =>
      row.map((v, i) => (r === 0 && i === 0 ? String(BigInt(v) + 1n) : v)),
    );
    expect(bindProof(offByOne, encoded)).toMatchObject({ ok: false, reason: 'INPUT_MISMATCH' });
    expect(await verifier.verify(bound.proof, { inputs: offByOne, outputs })).toBe(false);
  }, 60_000);

  it('validates inputs before proving and honours an abort signal', async () => {
    const circuit = prover.list()[0]!;
    const p = prover.prover(circuit.id);
    await expect(p.prove([[1, 2, 3]])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const controller = new AbortController();
    controller.abort();
    await expect(p.prove(circuit.generateInput(), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(() => prover.get('f'.repeat(64))).toThrow(expect.objectContaining({ code: 'UNKNOWN_CIRCUIT' }));
  });

  it('rebuilds a cached key that fails its checksum and keeps the same id', async () => {
    const circuit = prover.list()[0]!;
    const vkPath = join(
      cacheDir,
      'keys',
      circuit.settings.model_hash,
      `k${circuit.settings.k}-insecure-dev`,
      'vk.bin',
    );
    await writeFile(vkPath, 'corrupted');
    const seen: LoadProgress[] = [];
    const reopened = await CircuitStore.open({
      role: 'verifier',
      cacheDir,
      circuits: [CIRCUIT],
      onProgress: (e) => seen.push(e),
    });
    expect(seen.map((e) => e.stage)).toContain('cache-invalid');
    expect(seen.map((e) => e.stage)).toContain('keygen');
    expect(reopened.list()[0]?.id).toBe(circuit.id);
  }, 60_000);

  it('prefers a kzg{k}.srs file from srsDir over the development SRS, keyed apart in the cache', async () => {
    const circuit = prover.list()[0]!;
    const k = circuit.settings.k;
    const srsDir = join(cacheDir, 'real-srs');
    await mkdir(srsDir, { recursive: true });
    // The same bytes as the dev SRS, so the verifying key (and the id) must come out identical.
    await copyFile(join(cacheDir, 'srs', `kzg${k}.insecure-dev.srs`), join(srsDir, `kzg${k}.srs`));
    await writeFile(join(srsDir, 'kzg3.srs'), 'too small: ignored');
    const seen: LoadProgress[] = [];
    const store = await CircuitStore.open({
      role: 'verifier',
      cacheDir,
      srsDir,
      circuits: [CIRCUIT],
      onProgress: (e) => seen.push(e),
    });
    expect(seen.find((e) => e.stage === 'srs')?.message).toContain(join(srsDir, `kzg${k}.srs`));
    expect(seen.map((e) => e.stage)).toContain('keygen');
    expect(store.list()[0]?.id).toBe(circuit.id);
    const dirs = await readdir(join(cacheDir, 'keys', circuit.settings.model_hash));
    expect(dirs.sort()).toEqual(
      [`k${k}-insecure-dev`, expect.stringMatching(new RegExp(`^k${k}-[0-9a-f]{16}$`))].sort(),
    );
  }, 60_000);

  it('refuses a model whose bytes differ from the pinned checksum', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omron-meta-'));
    await writeFile(join(dir, 'm.onnx'), 'not the model');
    const meta = {
      name: 'tampered',
      description: 'x',
      model: { path: 'm.onnx', sha256: sha256Hex('the model') },
      inputs: [{ shape: [1, 2], generator: { kind: 'uniform', min: 0, max: 1 } }],
    };
    await writeFile(join(dir, 'tampered.json'), JSON.stringify(meta));
    const err = await CircuitStore.open({ role: 'verifier', cacheDir, metadataDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CircuitStoreError);
    expect(err).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    await expect(CircuitStore.open({ role: 'verifier', cacheDir, circuits: ['nope'] })).rejects.toMatchObject(
      {
        code: 'UNKNOWN_CIRCUIT',
      },
    );
  });
});
