// Sliced proofs: the same model proved as K = 1, 2, 4 slices. Per K (median of BENCH_RUNS,
// default 3): wall time of proving all slices in parallel (one process, the addon's worker
// threads), CPU seconds the process spent on it, chain verify time, total proof bytes, and
// the critical path — the longest slice proved alone, i.e. what K machines (one slice each,
// same hardware) would take. On a 2-core machine the parallel wall time cannot gain much;
// the critical path shows the scale-out gain.
// Needs the built package (`pnpm --filter @omron/prover build`). BENCH_MODEL=cnn|lstm|... picks
// another test model (default mlp).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  ChainVerifier,
  chainProofBytes,
  compileSlices,
  developmentSrs,
  Prover,
  proveChain,
  quantizeInputs,
  setup,
} from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MODEL = process.env.BENCH_MODEL ?? 'mlp';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuSeconds = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

const onnx = readFileSync(new URL(`../../../tooling/models/${MODEL}.onnx`, import.meta.url));
const rows = [];
for (const count of [1, 2, 4]) {
  const sliced = await compileSlices(onnx, { slices: count });
  const srs = await developmentSrs(Math.max(...sliced.slices.map((s) => s.settings.k)));
  const keys = [];
  for (const s of sliced.slices) keys.push(await setup(s, srs));
  const provers = await Promise.all(sliced.slices.map((s, i) => Prover.create(s, keys[i].provingKey, srs)));
  const settings = sliced.slices.map((s) => s.settings);
  const verifier = ChainVerifier.create(
    keys.map((k) => k.verifyingKey),
    settings,
    srs,
  );
  const inputs = settings[0].inputLengths.map((n) => Array.from({ length: n }, (_, i) => Math.sin(i) / 2));
  const own = quantizeInputs(settings[0], inputs);
  await proveChain(provers, sliced, inputs); // warm-up
  const wall = [];
  const cpu = [];
  const verify = [];
  const critical = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const before = process.cpuUsage();
    const started = performance.now();
    const { chain } = await proveChain(provers, sliced, inputs);
    wall.push(performance.now() - started);
    cpu.push(cpuSeconds(before));
    bytes = chainProofBytes(chain);
    const v0 = performance.now();
    const ok = await verifier.verify(chain, { inputs: own, outputs: chain.at(-1).publicInputs.outputs });
    verify.push(performance.now() - v0);
    if (!ok) throw new Error(`K=${count}: the chain did not verify`);
    // Each slice alone (nothing else running): the longest is the critical path on K machines.
    const values = sliced.forward(inputs);
    let longest = 0;
    for (const [i, p] of provers.entries()) {
      const t = performance.now();
      await p.proveSlice(values[i].inputs);
      longest = Math.max(longest, performance.now() - t);
    }
    critical.push(longest);
  }
  rows.push({
    K: count,
    'k per slice': settings.map((s) => s.k).join('/'),
    'prove wall ms': Math.round(median(wall)),
    'CPU s': Number(median(cpu).toFixed(2)),
    'critical path ms': Math.round(median(critical)),
    'verify ms': Number(median(verify).toFixed(1)),
    'proof bytes': bytes,
    'boundary values': sliced.boundaryLengths.join('/') || '-',
  });
}
const base = rows[0];
for (const row of rows) {
  row['wall ×K=1'] = Number((row['prove wall ms'] / base['prove wall ms']).toFixed(2));
  row['critical ×K=1'] = Number((row['critical path ms'] / base['prove wall ms']).toFixed(2));
}
console.log(
  `sliced proofs of ${MODEL}.onnx, ${cpus().length} cores, median of ${RUNS} (ratios from this run)`,
);
console.table(rows);
