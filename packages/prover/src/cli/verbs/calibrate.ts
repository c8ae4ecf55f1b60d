import { calibrate } from '../../calibrate.js';
import { readBytes, writeAtomic } from '../../files.js';
import type { ModelInputs } from '../../inputs.js';
import { compileModel } from '../../model.js';
import { EXIT, UsageError } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  compileOptions,
  MODEL,
  MODEL_HELP,
  parse,
  readJson,
  required,
  type Values,
} from '../options.js';
import { report, type Verb } from '../verb.js';

function number(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number`);
  return n;
}

/** `count` input sets drawn uniformly from [min, max), reproducible from `seed`. */
function uniformSamples(lengths: number[], range: string, count: number, seed: number): number[][][] {
  const bounds = range.split(',').map(Number);
  const [min, max] = bounds;
  if (
    bounds.length !== 2 ||
    min === undefined ||
    max === undefined ||
    !(min < max) ||
    !Number.isFinite(max - min)
  )
    throw new UsageError('--uniform must be MIN,MAX with MIN < MAX');
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return min + (state / 2 ** 32) * (max - min);
  };
  return Array.from({ length: count }, () => lengths.map((n) => Array.from({ length: n }, next)));
}

async function samplesFrom(values: Values, lengths: number[]): Promise<ModelInputs[]> {
  const file = values.samples;
  const range = values.uniform;
  if ((typeof file === 'string') === (typeof range === 'string'))
    throw new UsageError('give either --samples FILE or --uniform MIN,MAX --count N');
  if (typeof file === 'string') {
    const samples = await readJson(file);
    if (!Array.isArray(samples)) throw new UsageError(`${file} must hold an array of input sets`);
    return samples as ModelInputs[];
  }
  const count = number(values, 'count');
  const seed = number(values, 'seed') ?? 1;
  if (count === undefined || !Number.isInteger(count) || count < 1)
    throw new UsageError('--uniform needs --count N (a positive integer)');
  return uniformSamples(lengths, range as string, count, seed);
}

export const calibrateVerb: Verb = {
  name: 'calibrate',
  summary: 'choose compile options (scales, lookup ranges) from sample inputs',
  help: `omron-prover calibrate --model FILE (--samples SAMPLES.json | --uniform MIN,MAX --count N)
                       [--out OPTIONS.json] [--settings SETTINGS.json] [options]

Runs the model on the samples and picks the smallest circuit whose outputs stay within
the fidelity bound of the float model, with lookup ranges sized to what the samples
reach (times the margin). Writes the chosen compile options (with a calibration record;
use them with --options in compile, setup and prove) and the calibrated settings.
Inputs beyond the calibrated range are later rejected with INPUT_OUT_OF_RANGE.
SAMPLES.json is an array of input sets (each one array per model input). A sample the
starting options cannot take, or a bound no tried option meets, exits 3.

${MODEL_HELP}
                        (the compile options are the starting point: the largest scales tried)
  --samples FILE        sample inputs JSON
  --uniform MIN,MAX     or: generate samples uniformly in [MIN, MAX) (--uniform=-1,1 when MIN < 0)
  --count N             number of generated samples
  --seed N              seed of the generated samples (default 1)
  --min-scale N         smallest input/param scale tried (default 10)
  --margin X            widen the observed ranges by X >= 1 (default 2)
  --fidelity-bound X    largest |circuit - float| output error accepted (default 0.01)
  --out FILE            write the chosen compile options JSON here
  --settings FILE       write the calibrated circuit's settings JSON here
${COMMON_HELP}`,
  async run(args, io, signal) {
    const spec = { type: 'string' } as const;
    const values = parse(args, {
      ...COMMON,
      ...MODEL,
      samples: spec,
      uniform: spec,
      count: spec,
      seed: spec,
      'min-scale': spec,
      margin: spec,
      'fidelity-bound': spec,
      out: spec,
      settings: spec,
    });
    const onnx = await readBytes(required(values, 'model'));
    const base = await compileOptions(values);
    const minScale = number(values, 'min-scale');
    if (minScale !== undefined && (!Number.isInteger(minScale) || minScale < 0))
      throw new UsageError('--min-scale must be a non-negative integer');
    const plain = await compileModel(onnx, { ...base, signal });
    const samples = await samplesFrom(values, plain.settings.inputLengths);
    const options = await calibrate(onnx, samples, {
      base,
      minScale,
      margin: number(values, 'margin'),
      fidelityBound: number(values, 'fidelity-bound'),
      signal,
    });
    const model = await compileModel(onnx, { ...options, signal });
    if (typeof values.out === 'string')
      await writeAtomic(values.out, `${JSON.stringify(options, null, 2)}\n`);
    if (typeof values.settings === 'string') await writeAtomic(values.settings, model.settings.json);
    const c = options.calibration;
    const summary = {
      modelHash: model.modelHash,
      k: model.settings.k,
      uncalibratedK: plain.settings.k,
      options,
      out: values.out ?? null,
      settings: values.settings ?? null,
    };
    report(
      io,
      values.json === true,
      summary,
      `calibrated on ${samples.length} samples: k=${model.settings.k} (was ${plain.settings.k}), scales 2^${options.inputScale}, lookup 2^${options.lookupScale} x ${options.lookupBits} bits\nmax output error ${c?.maxError} (bound ${c?.fidelityBound}); Sigmoid/Tanh inputs seen up to ${c?.lutAbsMax}, margin ${c?.margin}`,
    );
    return EXIT.ok;
  },
};
