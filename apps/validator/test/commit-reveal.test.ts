import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epochOf, LocalChain } from '@omron/chain';
import { ResponseTimeStats } from '@omron/scoring';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { StateStore } from '../src/state.js';
import { commitmentCircuit } from '../src/test-support/commitment-circuit.js';
import { type RunningValidator, startValidator } from '../src/validator.js';
import { stop, waitFor } from './support.js';

/**
 * The weights path under commit-reveal on the local network, with a real validator and no miners: the validator
 * starts from saved scores (uid 1 ahead of uid 2), so its first weight set is a commit.
 */
const NETUID = 2;
const BLOCK_TIME_MS = 100;

let dir: string;
let chain: LocalChain;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-cr-'));
  chain = await LocalChain.open({ dir: join(dir, 'net'), blockTimeMs: BLOCK_TIME_MS });
  await chain.register(NETUID, await chain.developmentWallet('validator'), { role: 'validator' });
  for (const name of ['miner-1', 'miner-2']) {
    await chain.register(NETUID, await chain.developmentWallet(name), { role: 'miner' });
  }
  // Saved scores, as a previous run would have left them.
  const store = new StateStore(join(dir, 'state'));
  const state = await store.load();
  const bounds = new ResponseTimeStats().bounds(5);
  state.book.ensureSize(3);
  for (const [uid, responseTimeS] of [
    [1, 0.5],
    [2, 4],
  ] as const) {
    for (let i = 0; i < 5; i++)
      state.book.applyResponse(uid, { verified: true, responseTimeS, proofSizeBytes: 1000 }, bounds);
  }
  await store.save(state);
});
afterEach(async () => {
  await chain.close();
  await rm(dir, { recursive: true, force: true });
});

function flags(scheme: 'timelock' | 'hash'): string[] {
  return [
    '--localnet.dir',
    join(dir, 'net'),
    '--localnet.block_time_ms',
    String(BLOCK_TIME_MS),
    '--state.dir',
    join(dir, 'state'),
    '--api.port',
    '0',
    '--step.interval_ms',
    '200',
    '--subtensor.commit_reveal',
    scheme,
    '--log.level',
    'info',
  ];
}

describe('weights under commit-reveal on the local network', () => {
  it('timelocked: the validator commits, the chain reveals at the round, the weights show in the metagraph', async () => {
    await chain.setHyperparameters(NETUID, { weightsRateLimit: 1000 });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    // Commit-reveal switched on by the validator's local-network flags, as `pnpm start` does.
    const argv = [...flags('timelock'), '--localnet.commit_reveal', 'on', '--localnet.tempo', '20'];
    let v: RunningValidator | undefined = await startValidator(loadConfig(argv, {}), {
      circuits: [commitmentCircuit()],
      logger,
    });
    try {
      const committed = await waitFor(
        () => lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'weights committed'),
        30_000,
        () => `no commit:\n${lines.join('')}`,
      );
      expect(committed).toMatchObject({ mode: 'timelock', uids: [1, 2] });
      expect(await chain.hyperparameters(NETUID)).toMatchObject({ commitRevealEnabled: true, tempo: 20 });
      expect(committed.revealRound).toBeGreaterThan(0);
      // Nothing more from the validator: the chain opens the commit itself once the round is out.
      const graph = await waitFor(
        async () => {
          const g = await chain.metagraph(NETUID);
          return (g.neurons[1]?.incentive ?? 0) > 0 ? g : undefined;
        },
        30_000,
        () => 'the timelocked weights never showed in the metagraph',
      );
      expect(graph.neurons[1]?.incentive).toBeGreaterThan(graph.neurons[2]?.incentive ?? 1);
      expect(await chain.lastWeights(NETUID, 0)).toMatchObject({ uids: [1, 2] });
      expect((await chain.lastWeights(NETUID, 0))?.block).toBeGreaterThanOrEqual(committed.revealBlock);
    } finally {
      await v?.close();
      v = undefined;
    }
  }, 90_000);

  it('CRv2: a validator SIGKILLed between commit and reveal reveals after its restart', async () => {
    const tempo = 200; // 20 s epochs: the kill comes well before the reveal epoch
    await chain.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo, weightsRateLimit: 1000 });
    // Start early in an epoch, so the commit's reveal epoch is at least 10 s away when the process dies.
    await waitFor(
      async () => {
        const block = await chain.currentBlock();
        const offset = block - (epochOf(block, NETUID, tempo) * (tempo + 1) - NETUID - 1);
        return offset < 20 ? true : undefined;
      },
      30_000,
      () => 'never reached an epoch start',
    );
    const pendingFile = join(dir, 'state', 'pending-reveals.json');
    const pending = async () =>
      (
        JSON.parse(await readFile(pendingFile, 'utf8').catch(() => '{"reveals":[]}')) as {
          reveals: { commitBlock: number | null; revealEpoch: number | null; uids: number[] }[];
        }
      ).reveals;
    const first = spawnValidator(flags('hash'));
    const [saved] = await waitFor(
      async () => {
        const reveals = await pending();
        return reveals[0]?.commitBlock ? reveals : undefined;
      },
      60_000,
      () => `no CRv2 commit:\n${first.output()}`,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(saved).toMatchObject({ uids: [1, 2] });
    expect(await pending()).toHaveLength(1); // still owed: the process died before its reveal epoch
    expect(await chain.lastWeights(NETUID, 0)).toBeNull();
    expect(epochOf(await chain.currentBlock(), NETUID, tempo)).toBeLessThan(saved?.revealEpoch as number);

    const second = spawnValidator(flags('hash'));
    try {
      const weights = await waitFor(
        async () => (await chain.lastWeights(NETUID, 0)) ?? undefined,
        60_000,
        () => `the saved reveal never landed:\n${second.output()}`,
      );
      expect(weights.uids).toEqual([1, 2]);
      expect(epochOf(weights.block, NETUID, tempo)).toBe(saved?.revealEpoch);
      await waitFor(
        async () => ((await pending()).length === 0 ? true : undefined),
        10_000,
        () => 'reveal kept',
      );
      expect(second.output()).toContain('saved CRv2 reveals resumed');
    } finally {
      await stop(second);
    }
  }, 120_000);
});

function spawnValidator(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/validator-test-circuit.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return Object.assign(child, { output: () => output });
}
