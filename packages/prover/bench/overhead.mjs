// Binding overhead: the same MLP proof timed through Node (`Prover.prove`: argument
// conversion, worker thread hop, result conversion) and through the Rust core directly
// (`benchCoreProveMs`: a loop inside Rust). Runs alternate to share machine noise.
// Needs the built package (`pnpm --filter @omron/prover build`).
import { readFileSync } from 'node:fs';
import { compileModel, developmentSrs, Prover, setup } from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_PERCENT = 2;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const onnx = readFileSync(new URL('../../../tooling/models/mlp.onnx', import.meta.url));
const model = await compileModel(onnx);
const srs = await developmentSrs(model.settings.k);
const { provingKey } = await setup(model, srs);
const prover = await Prover.create(model, provingKey, srs);
const inputs = model.settings.inputLengths.map((n) => Array.from({ length: n }, (_, i) => Math.sin(i) / 2));

await prover.prove(inputs); // warm-up
const node = [];
const rust = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await prover.prove(inputs);
  node.push(performance.now() - started);
  rust.push(...(await prover.benchCoreProveMs(inputs, 1)));
}
const nodeMs = median(node);
const rustMs = median(rust);
const overhead = ((nodeMs - rustMs) / rustMs) * 100;
const row = (name, ms) => `${name.padEnd(28)} ${ms.toFixed(1).padStart(9)} ms`;
console.log(`MLP 784→32→10, k=${model.settings.k}, median of ${RUNS} proofs`);
console.log(row('Rust core (prove)', rustMs));
console.log(row('Node @omron/prover (prove)', nodeMs));
console.log(
  `binding overhead ${overhead.toFixed(2)} % (target ≤ ${TARGET_PERCENT} %): ${overhead <= TARGET_PERCENT ? 'ok' : 'OVER TARGET'}`,
);
if (overhead > TARGET_PERCENT) process.exitCode = 1;
