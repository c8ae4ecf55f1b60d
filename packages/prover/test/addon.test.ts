import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nativeVersion, PROVER_ERROR_CODES, ProverError } from '../src/index.js';

describe('native addon', () => {
  it('loads and reports the version of the crate it was built from', () => {
    const cargo = readFileSync(new URL('../../../Cargo.toml', import.meta.url), 'utf8');
    const version = /\[workspace\.package\][^[]*?version = "([^"]+)"/s.exec(cargo)?.[1];
    expect(version).toBeDefined();
    expect(nativeVersion()).toBe(version);
  });

  it('takes its error codes from the addon: every code it throws is listed, IO_ERROR added by the TS layer', async () => {
    expect(PROVER_ERROR_CODES).toContain('SHAPE_MISMATCH');
    expect(PROVER_ERROR_CODES).toContain('IO_ERROR');
    expect(new Set(PROVER_ERROR_CODES).size).toBe(PROVER_ERROR_CODES.length);
    const { readSrs } = await import('../src/index.js');
    const error = await readSrs(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProverError);
    expect(PROVER_ERROR_CODES).toContain((error as ProverError).code);
    expect((error as ProverError).code).toBe('BAD_SRS');
  });
});
