import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentSrs } from '@omron/prover';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitStoreError } from './errors.js';
import { CircuitStore } from './store.js';

describe('off the local network (allowDevelopmentSrs: false)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omron-srs-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (srsDir?: string) =>
    CircuitStore.open({
      role: 'verifier',
      cacheDir: join(dir, 'cache'),
      circuits: ['cnn', 'sigmoid_tanh'],
      allowDevelopmentSrs: false,
      ...(srsDir ? { srsDir } : {}),
    });

  it('refuses the development SRS and names every file needed and where --srs.dir looks', async () => {
    const empty = join(dir, 'srs-empty');
    await mkdir(empty, { recursive: true });
    const err = await open(empty).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitStoreError);
    expect((err as CircuitStoreError).code).toBe('SRS_REQUIRED');
    expect((err as Error).message).toContain('kzg13.srs, kzg14.srs');
    expect((err as Error).message).toContain(`which is ${empty}`);
    expect((err as Error).message).toContain('perpetual-powers-of-tau');
    expect((err as CircuitStoreError).details).toMatchObject({ missing: [13, 14] });
    const unset = await open().catch((e: unknown) => e);
    expect((unset as Error).message).toContain('which is not set');
  });

  it('refuses a development SRS file put where a real one belongs', async () => {
    const srsDir = join(dir, 'srs-dev');
    await (await developmentSrs(15)).save(join(srsDir, 'kzg15.srs'));
    const err = await open(srsDir).catch((e: unknown) => e);
    expect((err as CircuitStoreError).code).toBe('SRS_REQUIRED');
    expect((err as Error).message).toContain(`${join(srsDir, 'kzg15.srs')} is the insecure development SRS`);
  }, 120_000);
});
