import { decodeBundle, encodeChain, proveChain } from '../../chain.js';
import { ProverError } from '../../errors.js';
import { readBytes, writeAtomic } from '../../files.js';
import { ProvingKey } from '../../keys.js';
import { Prover } from '../../prover.js';
import { SlicedModel } from '../../slices.js';
import { EXIT } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  loadModelOrSlices,
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
With --slices, every slice is proved in parallel and --proof receives the chain (JSON);
--pk is the key bundle setup --slices wrote.

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
    const loaded = await loadModelOrSlices(values);
    if (loaded instanceof SlicedModel) {
      const parts = decodeBundle(await readBytes(required(values, 'pk')));
      if (parts.length !== loaded.slices.length)
        throw new ProverError(
          'MODEL_MISMATCH',
          `--pk holds ${parts.length} keys, the model has ${loaded.slices.length} slices`,
        );
      const k = Math.max(...loaded.slices.map((s) => s.settings.k));
      const bar = new ProgressBar(io, io.interactive && values.json !== true);
      const srs = await bar.during('srs', srsFor(values, k));
      const provers = await Promise.all(
        loaded.slices.map(async (s, i) =>
          Prover.create(s, await ProvingKey.fromBytes(parts[i] as Uint8Array, s), srs),
        ),
      );
      const result = await bar.during('prove', proveChain(provers, loaded, inputs, { signal }));
      const file = encodeChain(result.chain);
      await writeAtomic(proofPath, file);
      const claim = {
        inputs: result.chain[0]?.publicInputs.inputs,
        outputs: result.chain.at(-1)?.publicInputs.outputs,
      };
      if (typeof values.public === 'string') await writeAtomic(values.public, JSON.stringify(claim));
      const proofBytes = result.chain.reduce((n, p) => n + p.proof.length, 0);
      report(
        io,
        values.json === true,
        {
          modelHash: loaded.modelHash,
          outputs: result.outputs,
          publicInputs: claim,
          proofBytes,
          slices: result.chain.length,
          timings: result.timings,
        },
        `outputs ${JSON.stringify(result.outputs)}\nchain of ${result.chain.length} proofs, ${proofBytes} bytes in ${result.timings.wallMs.toFixed(0)} ms (longest slice ${result.timings.criticalPathMs.toFixed(0)} ms)`,
      );
      return EXIT.ok;
    }
    const model = loaded;
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
