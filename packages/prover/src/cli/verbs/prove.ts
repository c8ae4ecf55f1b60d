import { writeAtomic } from '../../files.js';
import { ProvingKey } from '../../keys.js';
import { Prover } from '../../prover.js';
import { EXIT } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  loadModelFrom,
  MODEL,
  MODEL_HELP,
  parse,
  readInputs,
  required,
  SRS,
  SRS_HELP,
  srsFor,
} from '../options.js';
import { ProgressBar } from '../progress.js';
import { report, type Verb } from '../verb.js';

export const proveVerb: Verb = {
  name: 'prove',
  summary: 'prove one inference; write the proof and its public inputs',
  help: `omron-prover prove --model FILE --pk FILE (--srs FILE | --dev-srs) --input IN.json --proof OUT [--public OUT.json]

IN.json holds one array per model input ([[...]]) or EZKL's { "input_data": [[...]] }.
The public inputs JSON ({ inputs, outputs }, quantized) is what verify needs.

${MODEL_HELP}
${SRS_HELP}
  --pk FILE             proving key from setup
  --input FILE          inputs JSON
  --proof FILE          write the proof bytes here
  --public FILE         write the public inputs JSON here
${COMMON_HELP}`,
  async run(args, io, signal) {
    const values = parse(args, {
      ...COMMON,
      ...MODEL,
      ...SRS,
      pk: { type: 'string' },
      input: { type: 'string' },
      proof: { type: 'string' },
      public: { type: 'string' },
    });
    const proofPath = required(values, 'proof');
    const inputs = await readInputs(required(values, 'input'));
    const model = await loadModelFrom(values);
    const key = await ProvingKey.load(required(values, 'pk'), model);
    const bar = new ProgressBar(io, io.interactive && values.json !== true);
    const srs = await bar.during('srs', srsFor(values, model.settings.k));
    const prover = await Prover.create(model, key, srs);
    const result = await prover.prove(inputs, { signal, onProgress: bar.onProve });
    bar.done();
    await writeAtomic(proofPath, result.proof);
    if (typeof values.public === 'string') {
      await writeAtomic(values.public, JSON.stringify(result.publicInputs));
    }
    report(
      io,
      values.json === true,
      {
        modelHash: model.modelHash,
        outputs: result.outputs,
        publicInputs: result.publicInputs,
        proofBytes: result.proof.length,
        timings: result.timings,
      },
      `outputs ${JSON.stringify(result.outputs)}\nproof ${result.proof.length} bytes in ${result.timings.totalMs.toFixed(0)} ms (witness ${result.timings.witnessMs.toFixed(0)} ms, prove ${result.timings.proveMs.toFixed(0)} ms)`,
    );
    return EXIT.ok;
  },
};
