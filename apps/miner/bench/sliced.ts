// A sliced circuit through the miner's request path and its embedded pool: per slice count K (1 = the ordinary
// circuit), the median wall time of one request (forward pass, K slice jobs, chain payload), the summed prove
// of its jobs' wall times, the longest job (about what K machines would take when the jobs run alone, e.g.
// BENCH_CONCURRENCY=1), and the payload's proof bytes.
// Run: pnpm --filter miner bench:sliced  (BENCH_MODEL=mlp|cnn, BENCH_SLICES=1,2,4, BENCH_RUNS=3)
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CircuitStore, readMetadataFile } from '@omron/circuits';
import { defaultConcurrency, EmbeddedPool, type JobProver, storeJobProver } from '@omron/pool';
import { decodeProofPayload } from '@omron/protocol';
import { proveRequest } from '../src/prove-request.js';

const MODEL = process.env.BENCH_MODEL ?? 'mlp';
const COUNTS = (process.env.BENCH_SLICES ?? '1,2,4').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? Math.max(2, defaultConcurrency()));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const dir = await mkdtemp(join(tmpdir(), 'miner-bench-sliced-'));
const base = await readMetadataFile(
  resolve(import.meta.dirname, `../../../packages/circuits/circuits/${MODEL}.json`),
);
await mkdir(join(dir, 'circuits'));
for (const k of COUNTS.filter((k) => k > 1)) {
  const meta = {
    name: `${MODEL}_${k}`,
    description: `${MODEL} in ${k} slices`,
    model: { path: base.modelPath, sha256: base.model.sha256 },
    compile: base.compile,
    inputs: base.inputs,
    slices: k,
  };
  await writeFile(join(dir, 'circuits', `${meta.name}.json`), JSON.stringify(meta));
}
const names = COUNTS.map((k) => (k === 1 ? MODEL : `${MODEL}_${k}`));
const store = await CircuitStore.open({
  role: 'prover',
  cacheDir: join(dir, 'cache'),
  extraMetadataDirs: [join(dir, 'circuits')],
  circuits: names,
});
console.log(
  `${MODEL}, embedded pool with ${CONCURRENCY} slots, ${availableParallelism()} cores, median of ${RUNS}`,
);
console.log(
  'K  request ms  sum of jobs ms  longest job ms  proof bytes (jobs: wall time each, summed / longest)',
);
let k1: number | undefined;
for (const [i, name] of names.entries()) {
  const circuit = store.byName(name);
  const jobMs: number[] = [];
  const inner = storeJobProver(store, 'embedded');
  const timed: JobProver = {
    circuitIds: () => inner.circuitIds(),
    async prove(job, signal) {
      const t = performance.now();
      const r = await inner.prove(job, signal);
      jobMs.push(performance.now() - t);
      return r;
    },
  };
  const pool = new EmbeddedPool({ prover: timed, concurrency: CONCURRENCY, maxLength: 64 });
  const wall: number[] = [];
  const sums: number[] = [];
  const longest: number[] = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    jobMs.length = 0;
    const t = performance.now();
    const outcome = await proveRequest(
      { store, pool },
      {
        queryInput: { model_id: circuit.id, public_inputs: circuit.generateInput() },
        priority: 0,
        deadline: Date.now() + 600_000,
      },
    );
    wall.push(performance.now() - t);
    if (!outcome.ok) throw new Error(`${name}: ${outcome.message}`);
    sums.push(jobMs.reduce((a, b) => a + b, 0));
    longest.push(Math.max(...jobMs));
    const payload = decodeProofPayload(outcome.queryOutput);
    const proofs = payload.format_version === 2 ? payload.slices.map((s) => s.proof) : [payload.proof];
    bytes = proofs.reduce((n, p) => n + (p.length - 2) / 2, 0);
  }
  await pool.close();
  const w = median(wall);
  if (i === 0) k1 = w;
  const ratio = k1 === undefined ? '' : `  (${(w / k1).toFixed(2)}× K=${COUNTS[0]})`;
  console.log(
    `${String(COUNTS[i]).padEnd(2)} ${w.toFixed(0).padStart(10)}  ${median(sums).toFixed(0).padStart(14)}  ${median(longest).toFixed(0).padStart(14)}  ${String(bytes).padStart(11)}${ratio}`,
  );
}
