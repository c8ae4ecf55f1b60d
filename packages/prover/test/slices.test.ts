import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ChainVerifier,
  chainId,
  chainProofBytes,
  compileModel,
  compileSlices,
  decodeBundle,
  decodeChain,
  developmentSrs,
  encodeBundle,
  encodeChain,
  isChain,
  Prover,
  ProverError,
  proveChain,
  quantizeInputs,
  type SlicedModel,
  type SliceProof,
  type Srs,
  setup,
  type VerifyingKey,
} from '../src/index.js';
import { inputsFor, MODELS, SRS_CACHE } from './fixtures.js';

describe('a 4-slice MLP chain through the addon', () => {
  let sliced: SlicedModel;
  let srs: Srs;
  let provers: Prover[];
  let vks: VerifyingKey[];
  let verifier: ChainVerifier;

  beforeAll(async () => {
    sliced = await compileSlices(readFileSync(join(MODELS, 'mlp.onnx')), { slices: 4 });
    const k = Math.max(...sliced.slices.map((s) => s.settings.k));
    srs = await developmentSrs(k, { cacheDir: SRS_CACHE });
    const keys = await Promise.all(sliced.slices.map((s) => setup(s, srs)));
    provers = await Promise.all(sliced.slices.map((s, i) => Prover.create(s, keys[i]!.provingKey, srs)));
    vks = keys.map((k) => k.verifyingKey);
    verifier = ChainVerifier.create(
      vks,
      sliced.slices.map((s) => s.settings),
      srs,
    );
  }, 300_000);

  it('slices know their place; the chain verifies against the own inputs and equals a single proof', async () => {
    expect(sliced.slices.map((s) => s.settings.slice?.index)).toEqual([0, 1, 2, 3]);
    expect(sliced.slices.every((s) => s.settings.slice?.modelHash === sliced.modelHash)).toBe(true);
    const whole = await compileModel(readFileSync(join(MODELS, 'mlp.onnx')));
    expect(sliced.modelHash).toBe(whole.modelHash);
    const inputs = inputsFor(sliced.slices[0]!, 3);
    const { chain, outputs, timings } = await proveChain(provers, sliced, inputs);
    expect(chain).toHaveLength(4);
    expect(outputs[0]).toHaveLength(10);
    expect(timings.criticalPathMs).toBeLessThanOrEqual(timings.cpuMs);
    const own = quantizeInputs(sliced.slices[0]!.settings, inputs);
    const claimed = chain[3]!.publicInputs.outputs;
    expect(await verifier.verify(chain, { inputs: own, outputs: claimed })).toBe(true);
    // Boundary values are exact decimal strings; bigints are accepted as claims too.
    expect(typeof chain[1]!.publicInputs.inputs[0]![0]).toBe('string');
    const asBigint = claimed.map((row) => row.map((v) => BigInt(v)));
    expect(await verifier.verify(chain, { inputs: own, outputs: asBigint })).toBe(true);

    // Tampering classes fail.
    const swapped = [chain[0]!, chain[2]!, chain[1]!, chain[3]!];
    expect(await verifier.verify(swapped, { inputs: own, outputs: claimed })).toBe(false);
    expect(await verifier.verify(chain.slice(0, 3), { inputs: own, outputs: claimed })).toBe(false);
    const other = await proveChain(provers, sliced, inputsFor(sliced.slices[0]!, 4));
    const mixed = [chain[0]!, chain[1]!, other.chain[2]!, chain[3]!];
    expect(await verifier.verify(mixed, { inputs: own, outputs: claimed })).toBe(false);
    const otherOwn = quantizeInputs(sliced.slices[0]!.settings, inputsFor(sliced.slices[0]!, 4));
    expect(await verifier.verify(chain, { inputs: otherOwn, outputs: claimed })).toBe(false);

    // The chain file round-trips and is told apart from a single proof.
    const file = encodeChain(chain);
    expect(isChain(file)).toBe(true);
    expect(isChain(chain[0]!.proof)).toBe(false);
    const back = decodeChain(file);
    expect(await verifier.verify(back, { inputs: own, outputs: claimed })).toBe(true);
    expect(chainProofBytes(back)).toBe(chain.reduce((n, p) => n + p.proof.length, 0));
  }, 300_000);

  it('bad values and files are typed errors', async () => {
    const bad = [{ proof: new Uint8Array([1, 2, 3]), publicInputs: { inputs: [['1']], outputs: [['2']] } }];
    const four: SliceProof[] = [0, 1, 2, 3].map(() => bad[0]!);
    const own = quantizeInputs(sliced.slices[0]!.settings, inputsFor(sliced.slices[0]!, 3));
    await expect(verifier.verify(four, { inputs: own, outputs: [['0']] })).resolves.toBe(false);
    await expect(provers[1]!.proveSlice([['1.5']])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(provers[1]!.proveSlice([['1']])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    expect(() => decodeChain(new TextEncoder().encode('{"format":"x"}'))).toThrow(ProverError);
    expect(() =>
      ChainVerifier.create([vks[1]!, vks[0]!], [sliced.slices[1]!.settings, sliced.slices[0]!.settings], srs),
    ).toThrow(expect.objectContaining({ code: 'BAD_SETTINGS' }));
    await expect(compileSlices(readFileSync(join(MODELS, 'mlp.onnx')), { slices: 0 })).rejects.toMatchObject({
      code: 'BAD_SETTINGS',
    });
    const bundle = encodeBundle(vks.map((v) => v.toBytes()));
    expect(decodeBundle(bundle).map((b) => b.length)).toEqual(vks.map((v) => v.toBytes().length));
    expect(() => decodeBundle(bundle.subarray(0, bundle.length - 1))).toThrow(
      expect.objectContaining({ code: 'BAD_KEY_FORMAT' }),
    );
    expect(chainId(vks)).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});
