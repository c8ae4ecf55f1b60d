import { setup } from '../../keys.js';
import { Prover } from '../../prover.js';
import { Verifier } from '../../verifier.js';
import { EXIT, UsageError } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  loadModelFrom,
  MODEL,
  MODEL_HELP,
  parse,
  readInputs,
  SRS,
  SRS_HELP,
  srsFor,
} from '../options.js';
import { ProgressBar } from '../progress.js';
import { report, type Verb } from '../verb.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

export const benchVerb: Verb = {
  name: 'bench',
  summary: 'time compile, keygen, prove and verify of a model',
  help: `omron-prover bench --model FILE (--srs FILE | --dev-srs) [--runs N] [--input IN.json]

Without --input, proves zeros. Prints medians over N runs (default 3).

${MODEL_HELP}
${SRS_HELP}
  --runs N              proofs to time (default 3)
  --input FILE          inputs JSON
${COMMON_HELP}`,
  async run(args, io, signal) {
    const values = parse(args, {
      ...COMMON,
      ...MODEL,
      ...SRS,
      runs: { type: 'string' },
      input: { type: 'string' },
    });
    const runs = Number(values.runs ?? 3);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError('--runs must be a positive integer');
    const bar = new ProgressBar(io, io.interactive && values.json !== true);
    let t = performance.now();
    const model = await loadModelFrom(values);
    const compileMs = performance.now() - t;
    const inputs =
      typeof values.input === 'string'
        ? await readInputs(values.input)
        : model.settings.inputLengths.map((n) => new Array<number>(n).fill(0));
    const srs = await bar.during('srs', srsFor(values, model.settings.k));
    t = performance.now();
    const keys = await bar.during('keygen', setup(model, srs));
    const keygenMs = performance.now() - t;
    const prover = await Prover.create(model, keys.provingKey, srs);
    const verifier = Verifier.create(keys.verifyingKey, model.settings, srs);
    const prove: number[] = [];
    const verify: number[] = [];
    let proofBytes = 0;
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      const result = await prover.prove(inputs, { signal, onProgress: bar.onProve });
      prove.push(performance.now() - t);
      proofBytes = result.proof.length;
      t = performance.now();
      if (!(await verifier.verify(result.proof, result.publicInputs)))
        throw new Error('a fresh proof did not verify');
      verify.push(performance.now() - t);
    }
    bar.done();
    const figures = {
      modelHash: model.modelHash,
      k: model.settings.k,
      rows: model.settings.rows,
      compileMs,
      keygenMs,
      proveMs: median(prove),
      verifyMs: median(verify),
      proofBytes,
      runs,
    };
    report(
      io,
      values.json === true,
      figures,
      `k=${figures.k} rows=${figures.rows} compile ${compileMs.toFixed(0)} ms, keygen ${keygenMs.toFixed(0)} ms, prove ${figures.proveMs.toFixed(0)} ms, verify ${figures.verifyMs.toFixed(1)} ms, proof ${proofBytes} B (median of ${runs})`,
    );
    return EXIT.ok;
  },
};
