// Binding overhead: the same MLP proof timed through Node (`Prover.prove`: argument
// conversion, worker thread hop, result conversion) and through the Rust core directly
// (`omron-core-prove`, a bench binary of the omron_prover crate, run as a child process
// so the addon ships no bench helper). Runs alternate to share machine noise.
// Needs the built package (`pnpm --filter @omron/prover build`) and cargo.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { compileModel, developmentSrs, Prover, setup } from '../dist/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_PERCENT = 2;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Builds `omron-core-prove` (same features as the addon build: whole workspace, no dev units). */
function buildCoreProve(repo) {
  const build = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('tooling/scripts/cargo-host.mjs', repo)),
      'build',
      '--release',
      '--workspace',
      '--bin',
      'omron-core-prove',
      '--message-format=json-render-diagnostics',
    ],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  if (build.status !== 0) throw new Error('bench: building omron-core-prove failed');
  const artifact = build.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .find((m) => m.reason === 'compiler-artifact' && m.target?.name === 'omron-core-prove');
  if (!artifact?.executable) throw new Error('bench: cargo did not report the omron-core-prove executable');
  return artifact.executable;
}

/** Starts the core prover on `onnxPath`; returns its model hash and a function timing one proof. */
async function startCoreProve(executable, onnxPath) {
  const child = spawn(executable, [onnxPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`bench: omron-core-prove stopped\n${stderr}`);
    return value;
  };
  const [word, modelHash] = (await next()).split(' ');
  if (word !== 'ready') throw new Error(`bench: unexpected omron-core-prove output\n${stderr}`);
  return {
    modelHash,
    proveMs: async (inputs) => {
      child.stdin.write(`${JSON.stringify(inputs)}\n`);
      return Number(await next());
    },
    close: () => child.stdin.end(),
  };
}

const repo = new URL('../../../', import.meta.url);
const onnxUrl = new URL('tooling/models/mlp.onnx', repo);
const coreProve = buildCoreProve(repo);
const model = await compileModel(readFileSync(onnxUrl));
const srs = await developmentSrs(model.settings.k);
const { provingKey } = await setup(model, srs);
const prover = await Prover.create(model, provingKey, srs);
const inputs = model.settings.inputLengths.map((n) => Array.from({ length: n }, (_, i) => Math.sin(i) / 2));
const core = await startCoreProve(coreProve, fileURLToPath(onnxUrl));
if (core.modelHash !== model.modelHash) {
  throw new Error(`bench: the core compiled another circuit (${core.modelHash} vs ${model.modelHash})`);
}

// warm-up, both sides
await prover.prove(inputs);
await core.proveMs(inputs);
const node = [];
const rust = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  await prover.prove(inputs);
  node.push(performance.now() - started);
  rust.push(await core.proveMs(inputs));
}
core.close();
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
