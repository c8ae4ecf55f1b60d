import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalChain } from '@omron/chain';
import { type Circuit, CircuitStore, readMetadataFile } from '@omron/circuits';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@omron/pool';
import {
  createDevelopmentWallet,
  createSynapse,
  Dendrite,
  decodeProofPayload,
  QueryZkProofDefinition,
  type Wallet,
} from '@omron/protocol';
import { type RunningMiner, startMiner } from 'miner';
import { captureLogger } from 'miner/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A sliced circuit on the Redis pool: a miner puts each request's 3 slice jobs on Redis at once, two worker
// processes (their own circuit stores, same chain id) prove single slices, the miner answers one chain.
const missing = redisServerAvailable();
if (missing) console.warn(`skipping the sliced proving-pool test: ${missing}`);

const APP = resolve(import.meta.dirname, '..');
const SLICES = 3;

let dir: string;
let redis: RedisServer;
let miner: RunningMiner;
let prover: CircuitStore;
let verifier: CircuitStore;
let circuit: Circuit;
let validator: Wallet;
const minerLog = captureLogger();
const children: ChildProcess[] = [];

async function startWorkerProcess(id: string): Promise<Record<string, unknown>[]> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/index.ts',
      ...['--pool.redis', redis.url, '--worker.id', id, '--metrics.port', '0'],
      ...[
        '--cache.dir',
        join(dir, 'cache'),
        '--circuits_dir',
        join(dir, 'circuits'),
        '--circuits',
        'cnn_sliced',
      ],
    ],
    { cwd: APP, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      // Not a log line.
    }
  });
  for (let i = 0; i < 1200 && !lines.some((l) => String(l.msg).startsWith('taking jobs')); i++) {
    if (child.exitCode !== null) throw new Error(`worker ${id} exited with ${child.exitCode}`);
    await sleep(100);
  }
  return lines;
}

describe.skipIf(missing !== undefined)('sliced circuit on the Redis pool: miner + 2 worker processes', () => {
  let logs: Record<string, unknown>[][] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omron-worker-sliced-'));
    const cnn = await readMetadataFile(resolve(APP, '../../packages/circuits/circuits/cnn.json'));
    await mkdir(join(dir, 'circuits'));
    await writeFile(
      join(dir, 'circuits', 'cnn_sliced.json'),
      JSON.stringify({
        name: 'cnn_sliced',
        description: 'The test CNN in slices',
        model: { path: cnn.modelPath, sha256: cnn.model.sha256 },
        compile: cnn.compile,
        inputs: cnn.inputs,
        slices: SLICES,
        timeoutS: 120,
      }),
    );
    redis = await startRedisServer();
    const chain = await LocalChain.open({ dir: join(dir, 'localnet'), blockTimeMs: 1000 });
    validator = await createDevelopmentWallet({
      path: join(dir, 'localnet', 'wallets'),
      name: 'validator',
      hotkey: 'default',
    });
    await chain.register(2, validator, { role: 'validator' });
    await chain.close();
    // Keys are built here once; the worker processes load them from the shared cache.
    const options = { cacheDir: join(dir, 'cache'), extraMetadataDirs: [join(dir, 'circuits')] };
    prover = await CircuitStore.open({ role: 'prover', ...options, circuits: ['cnn_sliced'] });
    verifier = await CircuitStore.open({ role: 'verifier', ...options, circuits: ['cnn_sliced'] });
    circuit = prover.list()[0]!;
    miner = await startMiner(
      {
        wallet: { name: 'pool-miner' },
        axon: { port: 0 },
        localnet: { dir: join(dir, 'localnet'), block_time_ms: 1000 },
        cache: { dir: join(dir, 'cache') },
        pool: { redis: redis.url },
        queue: { max_length: 32 },
      },
      { logger: minerLog.logger, store: prover },
    );
    logs = await Promise.all([startWorkerProcess('w1'), startWorkerProcess('w2')]);
  }, 600_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await miner?.close();
    await redis?.stop();
  });

  it('answers with chains whose slices the two workers proved, each verifying on the own inputs', async () => {
    const dendrite = new Dendrite(validator);
    const axon = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey };
    const answers = await Promise.all(
      [0, 1].map(async () => {
        const inputs = circuit.generateInput();
        const synapse = createSynapse(QueryZkProofDefinition, {
          query_input: { model_id: circuit.id, public_inputs: inputs },
        });
        return { inputs, res: await dendrite.call(axon, synapse, { timeoutS: 240 }) };
      }),
    );
    const v = verifier.verifier(circuit.id);
    for (const { inputs, res } of answers) {
      expect(res.statusCode, res.statusMessage ?? '').toBe(200);
      const payload = decodeProofPayload(res.synapse.query_output);
      expect(payload.format_version).toBe(2);
      if (payload.format_version !== 2) return;
      const chain = payload.slices.map((s, i) => {
        const n = circuit.slices![i]!.input_shapes.reduce((t, sh) => t + sh.reduce((a, b) => a * b, 1), 0);
        const signals = s.public_signals.map(String);
        return {
          proof: Uint8Array.from(Buffer.from(s.proof.slice(2), 'hex')),
          publicInputs: { inputs: [signals.slice(0, n)], outputs: [signals.slice(n)] },
        };
      });
      const own = v.expectedPublicInputs(inputs);
      const claim = { inputs: own, outputs: chain.at(-1)!.publicInputs.outputs };
      expect(await v.verifyChain(chain, claim)).toBe(true);
    }
    // 2 requests × 3 slices = 6 slice jobs, shared by both workers.
    const okJobs = logs.map((lines) => lines.filter((l) => l.msg === 'job' && l.result === 'ok').length);
    expect(okJobs.reduce((a, b) => a + b, 0)).toBe(2 * SLICES);
    expect(okJobs.every((n) => n > 0)).toBe(true);
  }, 600_000);
});
