import { ProverError } from '../../errors.js';
import type { ModelInputs } from '../../inputs.js';
import { quantizeInputs } from '../../verifier.js';
import { EXIT } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  loadModelFrom,
  MODEL,
  MODEL_HELP,
  parse,
  readJson,
  required,
} from '../options.js';
import { report, type Verb } from '../verb.js';

// The core has no calibration pass yet (choosing scales and lookup ranges from data is a
// later issue). This verb does the part that exists: it checks sample inputs against the
// ranges of a model compiled with explicit options, so an operator can pick options.
export const calibrateVerb: Verb = {
  name: 'calibrate',
  summary: 'check sample inputs against the input range of the compiled circuit',
  help: `omron-prover calibrate --model FILE --samples SAMPLES.json [compile options]

SAMPLES.json is an array of input sets (each one array per model input). Reports the
largest |input| seen against the circuit's accepted range and which samples the circuit
would reject (exit 3 if any). Automatic choice of scales and lookup ranges from samples
is not implemented by the prover core yet; tune --input-scale / --lookup-bits instead.

${MODEL_HELP}
  --samples FILE        sample inputs JSON
${COMMON_HELP}`,
  async run(args, io) {
    const values = parse(args, { ...COMMON, ...MODEL, samples: { type: 'string' } });
    const samples = await readJson(required(values, 'samples'));
    if (!Array.isArray(samples))
      throw new ProverError('INVALID_INPUT', 'samples must be an array of input sets');
    const model = await loadModelFrom(values);
    let maxAbs = 0;
    const rejected: { index: number; code: string; message: string }[] = [];
    samples.forEach((sample, index) => {
      try {
        quantizeInputs(model.settings, sample as ModelInputs);
        for (const input of sample as number[][])
          for (const x of input) maxAbs = Math.max(maxAbs, Math.abs(x));
      } catch (error) {
        const e = error as ProverError;
        rejected.push({ index, code: e.code, message: e.message });
      }
    });
    const summary = {
      modelHash: model.modelHash,
      samples: samples.length,
      maxAbsInputSeen: maxAbs,
      maxAbsInputAccepted: model.settings.maxAbsInput,
      scales: model.settings.scales,
      rejected,
    };
    report(
      io,
      values.json === true,
      summary,
      `${samples.length - rejected.length}/${samples.length} samples in range; max |x| ${maxAbs} of ${model.settings.maxAbsInput} accepted${rejected.map((r) => `\n  sample ${r.index}: ${r.code} ${r.message}`).join('')}`,
    );
    return rejected.length === 0 ? EXIT.ok : EXIT.badInput;
  },
};
