import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledModel,
  type CompileOptions,
  calibrate,
  calibrateSync,
  compileModel,
  developmentSrs,
  Prover,
  ProverError,
  setup,
  Verifier,
} from '../src/index.js';
import { MODELS, SRS_CACHE } from './fixtures.js';

const onnx = readFileSync(join(MODELS, 'sigmoid_tanh.onnx'));

/** Seeded uniform samples in [-2, 2) for every model input. */
function samplesFor(lengths: number[], count: number, seed: number): number[][][] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  };
  return Array.from({ length: count }, () => lengths.map((n) => Array.from({ length: n }, next)));
}

describe('calibrate on sigmoid_tanh.onnx', () => {
  let plain: CompiledModel;
  let options: CompileOptions;
  let samples: number[][][];

  beforeAll(async () => {
    plain = await compileModel(onnx);
    samples = samplesFor(plain.settings.inputLengths, 16, 42);
    options = await calibrate(onnx, samples, { signal: AbortSignal.timeout(60_000) });
  }, 60_000);

  it('returns options with a calibration record that compiles to a circuit no larger than the default', async () => {
    expect(options.calibration).toMatchObject({ samples: 16, margin: 2, fidelityBound: 0.01 });
    expect(options.calibration?.maxError).toBeLessThanOrEqual(0.01);
    expect(options.calibration?.lutAbsMax).toBeGreaterThan(0);
    const model = await compileModel(onnx, options);
    // The default table covers Sigmoid/Tanh inputs in ±8; calibration keeps a 2× margin over
    // the inputs it saw, which can need a wider table. Compare with the default scales over
    // the same input range.
    const bitsAtDefaultScale = (options.lookupBits ?? 12) + 8 - (options.lookupScale ?? 8);
    const sameRange = await compileModel(onnx, { lookupBits: Math.max(12, bitsAtDefaultScale) });
    expect(model.settings.k).toBeLessThanOrEqual(sameRange.settings.k);
    expect(model.settings.calibration).toEqual(options.calibration);
    expect(plain.settings.calibration).toBeUndefined();
    expect(model.settings.scales.input).toBe(options.inputScale);
    expect(calibrateSync(onnx, samples)).toEqual(options);
  });

  it('proves a sample inside the calibrated range and rejects an input far outside it', async () => {
    const model = await compileModel(onnx, options);
    const srs = await developmentSrs(model.settings.k, { cacheDir: SRS_CACHE });
    const { provingKey, verifyingKey } = await setup(model, srs);
    const prover = await Prover.create(model, provingKey, srs);
    const result = await prover.prove(samples[3] ?? []);
    const verifier = Verifier.create(verifyingKey, model.settings, srs);
    expect(await verifier.verify(result.proof, result.publicInputs)).toBe(true);

    const far = model.settings.inputLengths.map((n) => Array.from({ length: n }, () => 50));
    const error = await prover.prove(far).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProverError);
    expect((error as ProverError).code).toBe('INPUT_OUT_OF_RANGE');
  }, 60_000);

  it('rejects bad arguments with typed codes', async () => {
    await expect(calibrate(onnx, [])).rejects.toMatchObject({ code: 'BAD_SETTINGS' });
    await expect(calibrate(onnx, samples, { margin: 0.5 })).rejects.toMatchObject({ code: 'BAD_SETTINGS' });
    await expect(calibrate(onnx, [[[1, 2]]])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(calibrate(onnx, [['x' as unknown as number[]]])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const aborted = AbortSignal.abort();
    await expect(calibrate(onnx, samples, { signal: aborted })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
