import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CircuitStoreError } from './errors.js';
import { DEFAULT_METADATA_DIR, readMetadataDir, readMetadataFile } from './metadata.js';

const repoRoot = resolve(DEFAULT_METADATA_DIR, '..', '..', '..');

const valid = {
  name: 'tiny',
  description: 'test',
  model: { path: 'models/tiny.onnx', sha256: 'a'.repeat(64) },
  inputs: [{ shape: [1, 3], generator: { kind: 'uniform', min: -1, max: 1 } }],
};

async function writeMeta(json: unknown, name = 'tiny.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'omron-meta-'));
  await writeFile(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));
  return join(dir, name);
}

async function metadataError(json: unknown): Promise<CircuitStoreError> {
  const err = await readMetadataFile(await writeMeta(json)).catch((e: unknown) => e);
  if (!(err instanceof CircuitStoreError))
    throw new Error(`expected a CircuitStoreError, got ${String(err)}`);
  return err;
}

describe('circuit metadata', () => {
  it('fills defaults and resolves the model path against the metadata file, not the cwd', async () => {
    const file = await writeMeta(valid);
    const meta = await readMetadataFile(file);
    expect(meta.modelPath).toBe(join(file, '..', 'models', 'tiny.onnx'));
    expect(meta).toMatchObject({ enabled: true, timeoutS: 60, benchmarkWeight: 1 });
    expect(meta.compile).toEqual({ inputScale: 13, paramScale: 13 });
  });

  it.each([
    ['broken JSON', '{', /tiny\.json: /],
    ['a bad checksum', { ...valid, model: { path: 'x', sha256: 'xyz' } }, /model\.sha256/],
    ['an empty shape', { ...valid, inputs: [{ ...valid.inputs[0], shape: [] }] }, /inputs\.0\.shape/],
    [
      'an empty generator range',
      { ...valid, inputs: [{ shape: [1], generator: { kind: 'uniform', min: 1, max: 1 } }] },
      /max must exceed min/,
    ],
  ])('rejects %s with BAD_METADATA naming the field', async (_label, json, message) => {
    const e = await metadataError(json);
    expect(e.code).toBe('BAD_METADATA');
    expect(e.message).toMatch(message);
  });

  it("ships the Omron LSTM circuit enabled, on the project's own model of that architecture", async () => {
    const all = await readMetadataDir();
    const lstm = all.find((m) => m.name === 'omron_lstm');
    expect(lstm?.enabled).toBe(true);
    expect(lstm?.note).toBeUndefined();
    expect(lstm?.modelPath).toBe(join(repoRoot, 'tooling', 'models', 'lstm.onnx'));
    expect(lstm?.inputs[0]?.shape).toEqual([1, 5, 1]);
  });
});
