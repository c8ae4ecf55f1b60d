import { parseArgs } from 'node:util';
import { ProverError } from '../errors.js';
import { readBytes } from '../files.js';
import type { ModelInputs } from '../inputs.js';
import { type CompiledModel, type CompileOptions, compileModel } from '../model.js';
import { compileSlices, type SliceBudget, type SlicedModel } from '../slices.js';
import { developmentSrs, loadSrs, type Srs } from '../srs.js';
import { UsageError } from './io.js';

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export const COMMON: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

export const MODEL: OptionSpec = {
  model: { type: 'string' },
  options: { type: 'string' },
  'input-scale': { type: 'string' },
  'param-scale': { type: 'string' },
  'lookup-scale': { type: 'string' },
  'lookup-bits': { type: 'string' },
  slices: { type: 'string' },
  'slice-rows': { type: 'string' },
  'challenge-checks': { type: 'string' },
  'act-groups': { type: 'string' },
};

export const SRS: OptionSpec = {
  srs: { type: 'string' },
  'dev-srs': { type: 'boolean', default: false },
  'srs-cache': { type: 'string' },
};

export const MODEL_HELP = `  --model FILE          ONNX model
  --options FILE        compile options JSON (as written by \`calibrate --out\`); flags below override it
  --input-scale N       inputs quantized as round(x*2^N) (default 13)
  --param-scale N       weights quantized as round(w*2^N) (default 13)
  --lookup-scale N      Sigmoid/Tanh table resolution 2^N (default 8)
  --lookup-bits N       bits of the lookup-table index (default 12)
  --slices K            cut the model into K slice circuits proved in parallel (a chain of proofs)
  --slice-rows N        or: as few slices as keep each within N circuit rows
  --challenge-checks on|off  check layers with reused weights (convolutions, recurrent weights)
                        with verifier challenges where that needs fewer rows (default on)
  --act-groups N        requantization blocks side by side per band (default: by estimated cost)`;

export const SRS_HELP = `  --srs FILE            kzg{k}.srs file (halo2 ParamsKZG layout)
  --dev-srs             use the INSECURE development SRS (tests, local networks)
  --srs-cache DIR       where the development SRS is cached (default $OMRON_SRS_CACHE or ~/.cache/omron/srs)`;

export const COMMON_HELP = `  --json                machine-readable output on stdout
  -h, --help            this help`;

export type Values = Record<string, string | boolean | undefined>;

export function parse(args: string[], options: OptionSpec): Values {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as Values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function integer(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** `--options FILE` (JSON compile options, e.g. from `calibrate --out`) overlaid with the flags. */
export async function compileOptions(values: Values): Promise<CompileOptions> {
  const options: CompileOptions = {};
  if (typeof values.options === 'string') {
    const file = await readJson(values.options);
    if (typeof file !== 'object' || file === null || Array.isArray(file))
      throw new ProverError('INVALID_INPUT', `${values.options} must hold a JSON object of compile options`);
    Object.assign(options, file);
  }
  const set = (key: 'inputScale' | 'paramScale' | 'lookupScale' | 'lookupBits', flag: string) => {
    const n = integer(values, flag);
    if (n === undefined) return;
    // A calibration record describes the options it chose, not ones overridden later.
    if (options[key] !== n) delete options.calibration;
    options[key] = n;
  };
  set('inputScale', 'input-scale');
  set('paramScale', 'param-scale');
  set('lookupScale', 'lookup-scale');
  set('lookupBits', 'lookup-bits');
  const groups = integer(values, 'act-groups');
  if (groups !== undefined) {
    if (groups < 1) throw new UsageError('--act-groups must be at least 1');
    options.actGroups = groups;
  }
  const checks = values['challenge-checks'];
  if (checks !== undefined) {
    if (checks !== 'on' && checks !== 'off') throw new UsageError('--challenge-checks must be on or off');
    options.challengeChecks = checks === 'on';
  }
  return options;
}

export async function loadModelFrom(values: Values): Promise<CompiledModel> {
  return compileModel(await readBytes(required(values, 'model')), await compileOptions(values));
}

/** `--slices K` or `--slice-rows N`, when given (a sliced model). */
export function sliceBudget(values: Values): SliceBudget | undefined {
  const count = integer(values, 'slices');
  const rows = integer(values, 'slice-rows');
  if (count !== undefined && rows !== undefined)
    throw new UsageError('give --slices or --slice-rows, not both');
  if (count !== undefined) {
    if (count < 1) throw new UsageError('--slices must be at least 1');
    return count;
  }
  return rows === undefined ? undefined : { maxRows: rows };
}

/** The model as given: a whole circuit, or a chain of slices with `--slices` / `--slice-rows`. */
export async function loadModelOrSlices(values: Values): Promise<CompiledModel | SlicedModel> {
  const budget = sliceBudget(values);
  if (budget === undefined) return loadModelFrom(values);
  const options = await compileOptions(values);
  return compileSlices(await readBytes(required(values, 'model')), { ...options, slices: budget });
}

/** Settings file of a sliced model: a JSON array of the slices' settings, in chain order. */
export function chainSettingsJson(sliced: SlicedModel): string {
  return `[${sliced.slices.map((s) => s.settings.json).join(',\n')}]\n`;
}

/** The SRS for a circuit of size 2^k, from `--srs` or `--dev-srs`. */
export async function srsFor(values: Values, k: number): Promise<Srs> {
  if (typeof values.srs === 'string') return loadSrs(values.srs);
  if (values['dev-srs'] === true) {
    const cacheDir = typeof values['srs-cache'] === 'string' ? values['srs-cache'] : undefined;
    return developmentSrs(k, cacheDir === undefined ? {} : { cacheDir });
  }
  throw new UsageError('give --srs FILE or --dev-srs');
}

/** Inputs JSON: `[[...], ...]` (one array per model input) or EZKL's `{ "input_data": [[...]] }`. */
export async function readInputs(path: string): Promise<ModelInputs> {
  const text = new TextDecoder().decode(await readBytes(path));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProverError('INVALID_INPUT', `${path} is not JSON`);
  }
  const inputs = Array.isArray(data) ? data : (data as { input_data?: unknown } | null)?.input_data;
  if (!Array.isArray(inputs))
    throw new ProverError('INVALID_INPUT', `${path} must hold an array of input arrays or { input_data }`);
  return inputs as ModelInputs;
}

export async function readJson(path: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(path));
  try {
    return JSON.parse(text);
  } catch {
    throw new ProverError('INVALID_INPUT', `${path} is not JSON`);
  }
}
