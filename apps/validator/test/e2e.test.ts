import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toValidatorCircuit } from '../src/circuit-adapter.js';
import { loadConfig } from '../src/config.js';
import type { ServedCircuit } from '../src/ports.js';
import { deserializeState } from '../src/state.js';
import { type RunningValidator, startValidator } from '../src/validator.js';
import { freePort, healthy, spawnApp, stop, waitFor } from './support.js';

/**
 * The whole subnet on loopback: a local network, four real miner processes proving with real halo2 circuits,
 * and the real validator. The smallest circuit keeps it to a few minutes on 2 cores.
 */
const NETUID = 2;
const CIRCUIT = 'mlp';
const BLOCK_TIME_MS = 100;
const SLOW_DELAY_MS = 3000;
const MINERS = [
  { name: 'fast', args: [] as string[] },
  { name: 'slow', args: ['--dev.delay_ms', String(SLOW_DELAY_MS)] },
  { name: 'wrong-input', args: ['--dev.behavior', 'wrong-input'] },
  { name: 'garbage', args: ['--dev.behavior', 'garbage'] },
];

let dir: string;
let chain: LocalChain;
let circuits: ServedCircuit[];
const miners: { name: string; port: number; hotkey: string; proc: ReturnType<typeof spawnApp> }[] = [];
let validator: RunningValidator | undefined;

function validatorFlags(apiPort: number): string[] {
  return [
    '--localnet.dir',
    join(dir, 'net'),
    '--localnet.block_time_ms',
    String(BLOCK_TIME_MS),
    '--cache.dir',
    join(dir, 'cache'),
    '--state.dir',
    join(dir, 'state'),
    '--api.port',
    String(apiPort),
    '--step.interval_ms',
    '0',
    '--circuits',
    CIRCUIT,
    '--log.level',
    'warn',
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-e2e-'));
  chain = await LocalChain.open({ dir: join(dir, 'net'), blockTimeMs: BLOCK_TIME_MS });
  // Weights every 10 blocks (1 s) instead of 100, so a few steps suffice.
  await chain.setHyperparameters(NETUID, { weightsRateLimit: 10 });
  // Builds and caches the keys once; the miners and the validator load them from this cache.
  const store = await CircuitStore.open({
    role: 'verifier',
    cacheDir: join(dir, 'cache'),
    circuits: [CIRCUIT],
  });
  circuits = store.list().map((c) => toValidatorCircuit(c, store.verifier(c.id)));
  for (const [i, miner] of MINERS.entries()) {
    const port = await freePort();
    const proc = spawnApp('miner', [
      '--localnet.dir',
      join(dir, 'net'),
      '--localnet.block_time_ms',
      String(BLOCK_TIME_MS),
      '--cache.dir',
      join(dir, 'cache'),
      '--axon.port',
      String(port),
      '--wallet.hotkey',
      `miner-${i + 1}`,
      '--circuits',
      CIRCUIT,
      '--log.level',
      'warn',
      ...miner.args,
    ]);
    miners.push({ name: miner.name, port, hotkey: `miner-${i + 1}`, proc });
  }
  for (const m of miners) {
    await waitFor(
      async () => ((await healthy(`http://127.0.0.1:${m.port}/healthz`)) ? true : undefined),
      180_000,
      () => `miner ${m.name} never became healthy:\n${m.proc.output()}`,
    );
  }
}, 300_000);

afterAll(async () => {
  await validator?.close();
  await Promise.all(miners.map((m) => stop(m.proc)));
  await chain?.close();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

async function uidOfMiner(port: number): Promise<number> {
  const metagraph = await chain.metagraph(NETUID);
  const neuron = metagraph.neurons.find((n) => n.axon.port === port);
  if (!neuron) throw new Error(`no neuron serves port ${port}`);
  return neuron.uid;
}

describe('the subnet on one machine', () => {
  it('ranks fast > slow > cheaters in the weights it sets, with both cheaters at zero', async () => {
    validator = await startValidator(loadConfig(validatorFlags(0), {}), {
      circuits,
      logger: pino({ level: 'warn' }),
    });
    const v = validator;
    const uids = Object.fromEntries(
      await Promise.all(miners.map(async (m) => [m.name, await uidOfMiner(m.port)])),
    );

    const STEPS = 4;
    await waitFor(
      () => (v.state.step >= STEPS ? true : undefined),
      240_000,
      () => `only ${v.state.step} steps`,
    );
    const afterStepsBlock = await chain.currentBlock();
    const weights = await waitFor(
      async () => {
        const w = await chain.lastWeights(NETUID, v.uid);
        return w && w.block >= afterStepsBlock ? w : undefined;
      },
      60_000,
      () => 'no weights set after the steps',
    );
    const weightOf = (uid: number) => weights.weights[weights.uids.indexOf(uid)] ?? 0;
    const last = v.state.steps.at(-1)!;
    const reasons = Object.fromEntries(last.responses.map((r) => [r.uid, r.reason ?? 'verified']));
    expect(reasons).toEqual({
      [uids.fast]: 'verified',
      [uids.slow]: 'verified',
      [uids['wrong-input']]: 'INPUT_MISMATCH',
      [uids.garbage]: 'PROOF_INVALID',
    });
    expect(weightOf(uids.fast)).toBeGreaterThan(weightOf(uids.slow));
    expect(weightOf(uids.slow)).toBeGreaterThan(0);
    expect(weightOf(uids['wrong-input'])).toBe(0);
    expect(weightOf(uids.garbage)).toBe(0);
    expect(weights.versionKey).toBeGreaterThan(11_002_000);

    const api = (await (await fetch(`${v.url}/api/miners`)).json()) as {
      uid: number;
      verifiedRatio: number;
    }[];
    expect(api.find((m) => m.uid === uids.fast)?.verifiedRatio).toBe(1);
    expect(api.find((m) => m.uid === uids.garbage)?.verifiedRatio).toBe(0);
    await v.close();
    validator = undefined;
  }, 360_000);

  it('a validator process killed mid-step restarts with every saved score and counts no step twice', async () => {
    const stateFile = join(dir, 'state', 'validator-state.json');
    const read = async () => deserializeState(await readFile(stateFile, 'utf8'));
    const saved = await read();
    const before = saved.step;
    const port = await freePort();
    const proc = spawnApp('validator', validatorFlags(port));
    // A step that has sent its requests but not finished: the saved step is unchanged while the slow miner works.
    await waitFor(
      async () => (((await read().catch(() => null))?.step ?? 0) > before ? true : undefined),
      120_000,
      () => `the validator process made no step:\n${proc.output()}`,
    );
    await new Promise((r) => setTimeout(r, 1000)); // well inside the next step (≥ 3 s with the slow miner)
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const atKill = await read();
    // Every step saves its inputs before sending them: one more step's worth than completed steps means the
    // process died with a step in flight.
    expect(atKill.guard.size - saved.guard.size).toBe(MINERS.length * (atKill.step - before + 1));

    validator = await startValidator(loadConfig(validatorFlags(0), {}), {
      circuits,
      logger: pino({ level: 'warn' }),
    });
    const v = validator;
    expect(v.state.step).toBe(atKill.step);
    expect(v.state.book.scores()).toEqual(atKill.book.scores());
    await waitFor(
      () => (v.state.step > atKill.step ? true : undefined),
      120_000,
      () => 'no step after restart',
    );
    const steps = v.state.steps.map((s) => s.step);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    expect(v.state.steps.at(-1)?.step).toBe(v.state.step);
  }, 300_000);
});
