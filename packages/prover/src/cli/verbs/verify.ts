import { ProverError } from '../../errors.js';
import { readBytes } from '../../files.js';
import type { PublicInputs } from '../../inputs.js';
import { VerifyingKey } from '../../keys.js';
import { ModelSettings } from '../../settings.js';
import { quantizeInputs, Verifier } from '../../verifier.js';
import { EXIT } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  parse,
  readInputs,
  readJson,
  required,
  SRS,
  SRS_HELP,
  srsFor,
} from '../options.js';
import { report, type Verb } from '../verb.js';

/**
 * The public inputs file from `prove`: decimal strings. Files from versions that wrote JSON
 * numbers still verify: a safe integer reads as its decimal text (anything else is left for
 * the addon to refuse with `INVALID_INPUT`).
 */
function publicInputsFromJson(raw: unknown): PublicInputs {
  if (raw === null || typeof raw !== 'object') {
    throw new ProverError('INVALID_INPUT', 'public inputs JSON must be { inputs, outputs }');
  }
  const text = (rows: unknown) =>
    Array.isArray(rows)
      ? rows.map((row: unknown) =>
          Array.isArray(row) ? row.map((v: unknown) => (Number.isSafeInteger(v) ? String(v) : v)) : row,
        )
      : rows;
  const { inputs, outputs } = raw as Record<string, unknown>;
  return { inputs: text(inputs), outputs: text(outputs) } as PublicInputs;
}

export const verifyVerb: Verb = {
  name: 'verify',
  summary: 'verify a proof (exit 0 valid, 1 invalid)',
  help: `omron-prover verify --settings FILE --vk FILE (--srs FILE | --dev-srs) --proof FILE --public FILE [--input IN.json]

Needs no proving key. With --input, the proof must also be bound to those inputs: the
public inputs' "inputs" are replaced by the quantization of IN.json (what a validator does).

  --settings FILE       settings JSON from compile or setup
  --vk FILE             verifying key from setup
  --proof FILE          proof bytes
  --public FILE         public inputs JSON from prove
  --input FILE          inputs JSON the proof must be bound to
${SRS_HELP}
${COMMON_HELP}`,
  async run(args, io) {
    const values = parse(args, {
      ...COMMON,
      ...SRS,
      settings: { type: 'string' },
      vk: { type: 'string' },
      proof: { type: 'string' },
      public: { type: 'string' },
      input: { type: 'string' },
    });
    const settingsText = new TextDecoder().decode(await readBytes(required(values, 'settings')));
    const settings = ModelSettings.parse(settingsText);
    const vk = await VerifyingKey.load(required(values, 'vk'), settings);
    const proof = await readBytes(required(values, 'proof'));
    const claimed = publicInputsFromJson(await readJson(required(values, 'public')));
    const inputs =
      typeof values.input === 'string'
        ? quantizeInputs(settings, await readInputs(values.input))
        : claimed.inputs;
    const srs = await srsFor(values, settings.k);
    const started = performance.now();
    const valid = await Verifier.create(vk, settings, srs).verify(proof, {
      inputs,
      outputs: claimed.outputs,
    });
    const verifyMs = performance.now() - started;
    report(
      io,
      values.json === true,
      { valid, verifyMs },
      `${valid ? 'valid' : 'INVALID'} (${verifyMs.toFixed(1)} ms)`,
    );
    return valid ? EXIT.ok : EXIT.invalidProof;
  },
};
