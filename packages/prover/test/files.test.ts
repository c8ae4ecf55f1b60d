import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cachedSetup,
  compileModel,
  loadSrs,
  ModelSettings,
  Prover,
  ProverError,
  ProvingKey,
  readSrs,
  Verifier,
  VerifyingKey,
} from '../src/index.js';
import { inputsFor, MODELS, type Rig, rig } from './fixtures.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: ProverError) => e.code,
  );
const syncCode = (f: () => unknown) => {
  try {
    f();
    return 'returned';
  } catch (e) {
    return (e as ProverError).code;
  }
};

describe('keys, settings and SRS on disk', () => {
  let mlp: Rig;
  const dir = mkdtempSync(join(tmpdir(), 'omron-files-'));
  beforeAll(async () => {
    mlp = await rig('mlp');
  });

  it('saves and loads keys and settings that still prove and verify', async () => {
    await mlp.keys.provingKey.save(join(dir, 'pk'));
    await mlp.keys.verifyingKey.save(join(dir, 'vk'));
    const settings = ModelSettings.parse(mlp.model.settings.json);
    const pk = await ProvingKey.load(join(dir, 'pk'), mlp.model);
    const vk = await VerifyingKey.load(join(dir, 'vk'), settings);
    expect(Buffer.from(vk.toBytes())).toEqual(Buffer.from(mlp.keys.verifyingKey.toBytes()));
    const prover = await Prover.create(mlp.model, pk, mlp.srs);
    const result = await prover.prove(inputsFor(mlp.model));
    expect(await Verifier.create(vk, settings, mlp.srs).verify(result.proof, result.publicInputs)).toBe(true);
  });

  it('rejects corrupt, truncated and foreign keys with typed errors', async () => {
    const pk = await mlp.keys.provingKey.toBytes();
    const vk = mlp.keys.verifyingKey.toBytes();
    expect(await code(ProvingKey.fromBytes(pk.subarray(0, pk.length / 2), mlp.model))).toBe('BAD_KEY_FORMAT');
    expect(syncCode(() => VerifyingKey.fromBytes(vk.subarray(0, 10), mlp.model.settings))).toBe(
      'BAD_KEY_FORMAT',
    );
    const garbage = Uint8Array.from(vk).fill(7, 0, 8);
    expect(syncCode(() => VerifyingKey.fromBytes(garbage, mlp.model.settings))).toBe('BAD_KEY_FORMAT');
    const other = await compileModel(readFileSync(join(MODELS, 'cnn.onnx')));
    expect(syncCode(() => VerifyingKey.fromBytes(vk, other.settings))).toBe('MODEL_MISMATCH');
    expect(await code(Prover.create(other, mlp.keys.provingKey, mlp.srs))).toBe('MODEL_MISMATCH');
    expect(syncCode(() => Verifier.create(mlp.keys.verifyingKey, other.settings, mlp.srs))).toBe(
      'MODEL_MISMATCH',
    );
    expect(syncCode(() => ModelSettings.parse('{"k": 3'))).toBe('BAD_SETTINGS');
  });

  it('round-trips a kzg{k}.srs file and rejects a malformed one', async () => {
    const path = join(dir, `kzg${mlp.srs.k}.srs`);
    await mlp.srs.save(path);
    const loaded = await loadSrs(path);
    expect(loaded.k).toBe(mlp.srs.k);
    expect(loaded.isInsecure).toBe(true);
    writeFileSync(join(dir, 'bad.srs'), Buffer.from([14, 0, 0, 0, 1, 2, 3]));
    expect(await code(loadSrs(join(dir, 'bad.srs')))).toBe('BAD_SRS');
    expect(await code(readSrs(new Uint8Array(2)))).toBe('BAD_SRS');
    expect(await code(loadSrs(join(dir, 'missing.srs')))).toBe('IO_ERROR');
  });

  it('caches keys on disk by model hash', async () => {
    const cache = join(dir, 'keys');
    const first = await cachedSetup(mlp.model, mlp.srs, cache);
    const bytes = readFileSync(join(cache, `${mlp.model.modelHash}.vk`));
    const second = await cachedSetup(mlp.model, mlp.srs, cache);
    expect(Buffer.from(second.verifyingKey.toBytes())).toEqual(bytes);
    expect(Buffer.from(first.verifyingKey.toBytes())).toEqual(bytes);
  });

  it('is a ProverError everywhere', async () => {
    await expect(compileModel(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(ProverError);
    expect(await code(compileModel(new Uint8Array([1, 2, 3])))).toBe('BAD_MODEL');
  });
});
