import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { type InferProgress, OmronClient, signApiRequest } from '@omron/client';
import { createDevelopmentWallet, Dendrite, type Wallet } from '@omron/protocol';
import { Keyring } from '@polkadot/keyring';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganicRouter } from '../src/api/organic.js';
import { toValidatorCircuit } from '../src/circuit-adapter.js';
import { loadConfig } from '../src/config.js';
import { queryableMiners } from '../src/loop.js';
import type { ServedCircuit } from '../src/ports.js';
import { serializeState } from '../src/state.js';
import { dendriteQuery, type RunningValidator, startValidator } from '../src/validator.js';
import { freePort, healthy, spawnApp, stop, waitFor } from './support.js';

/**
 * The inference API end to end: a local network, three real miner processes (two honest, one that proves
 * another input) serving every enabled circuit, the real validator, and `@omron/client` verifying every answer
 * on its own. The loop makes one step (so miners have scores) and then idles, so any change to the validator's
 * state during the API tests would come from organic requests, which must make none.
 */
const NETUID = 2;
const BLOCK_TIME_MS = 100;
const MINERS = [
  { name: 'honest-a', args: [] as string[] },
  { name: 'honest-b', args: [] as string[] },
  { name: 'cheat', args: ['--dev.behavior', 'wrong-input'] },
];
const CLIENT_BIN = fileURLToPath(new URL('../../../packages/client/src/bin.ts', import.meta.url));

let dir: string;
let chain: LocalChain;
let circuits: ServedCircuit[];
let validator: RunningValidator;
let user: Wallet;
let snapshot: string;
const miners: { name: string; port: number; uid: number; proc: ReturnType<typeof spawnApp> }[] = [];

/** Everything organic requests must leave alone: the saved state less the weights (set by the loop on its own clock). */
function scoringState(v: RunningValidator): string {
  const { weights: _weights, ...rest } = JSON.parse(serializeState(v.state)) as Record<string, unknown>;
  return JSON.stringify(rest);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-api-e2e-'));
  chain = await LocalChain.open({ dir: join(dir, 'net'), blockTimeMs: BLOCK_TIME_MS });
  // Keys for every enabled circuit, built once; the miners and the validator load them from this cache.
  const store = await CircuitStore.open({ role: 'verifier', cacheDir: join(dir, 'cache') });
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
      '--log.level',
      'warn',
      ...miner.args,
    ]);
    miners.push({ name: miner.name, port, uid: -1, proc });
  }
  for (const m of miners) {
    await waitFor(
      async () => ((await healthy(`http://127.0.0.1:${m.port}/healthz`)) ? true : undefined),
      300_000,
      () => `miner ${m.name} never became healthy:\n${m.proc.output()}`,
    );
  }
  const metagraph = await chain.metagraph(NETUID);
  for (const m of miners) m.uid = metagraph.neurons.find((n) => n.axon.port === m.port)!.uid;
  user = await createDevelopmentWallet({ path: join(dir, 'user-wallets'), name: 'user', hotkey: 'default' });
  validator = await startValidator(
    loadConfig(
      [
        '--localnet.dir',
        join(dir, 'net'),
        '--localnet.block_time_ms',
        String(BLOCK_TIME_MS),
        '--cache.dir',
        join(dir, 'cache'),
        '--state.dir',
        join(dir, 'state'),
        '--api.port',
        '0',
        '--api.allow',
        user.hotkey.address,
        '--step.interval_ms',
        '3600000',
        '--log.level',
        'warn',
      ],
      {},
    ),
    { circuits, logger: pino({ level: 'warn' }) },
  );
  await waitFor(
    () => (validator.state.step >= 1 ? true : undefined),
    180_000,
    () => 'the validator made no step',
  );
  snapshot = scoringState(validator);
}, 600_000);

afterAll(async () => {
  await validator?.close();
  await Promise.all(miners.map((m) => stop(m.proc)));
  await chain?.close();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

const uidOf = (name: string) => miners.find((m) => m.name === name)!.uid;

describe('the verified-inference API on a local network', () => {
  it('the client gets an answer for every enabled circuit, verified by the validator and again locally', async () => {
    const client = new OmronClient({ url: validator.apiUrl, signer: user.hotkey });
    const served = await client.circuits();
    expect(served.map((c) => c.name).sort()).toEqual(circuits.map((c) => c.name).sort());
    for (const circuit of circuits) {
      const inputs = circuit.generateInput(Math.random);
      const answer = await client.inferVerified(circuit.name, inputs);
      expect(answer.verifiedLocally).toBe(true);
      expect(answer.circuit).toEqual({ id: circuit.id, name: circuit.name });
      // The cheater scored 0 in the loop's step, so it is asked last and never needed here.
      expect([uidOf('honest-a'), uidOf('honest-b')]).toContain(answer.miner.uid);
      expect(answer.outputs.flat().length).toBe(
        circuit.outputShapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0),
      );
    }
  }, 300_000);

  it('the same over WebSocket JSON-RPC, with progress notifications in order', async () => {
    const client = new OmronClient({ url: validator.apiUrl, signer: user.hotkey });
    const rpc = await client.rpc();
    try {
      const circuit = circuits.find((c) => c.name === 'mlp') ?? circuits[0]!;
      const inputs = circuit.generateInput(Math.random);
      const stages: InferProgress['stage'][] = [];
      const answer = await rpc.call<Parameters<OmronClient['verifyLocally']>[0]>(
        'infer',
        { circuit: circuit.id, inputs },
        (p) => stages.push(p.stage),
      );
      expect(stages).toEqual(['routing', 'querying', 'verifying', 'done']);
      await client.verifyLocally(answer, inputs);
    } finally {
      await rpc.close();
    }
  }, 120_000);

  it('the omron CLI prints a locally verified answer', async () => {
    const input = join(dir, 'in.json');
    const circuit = circuits.find((c) => c.name === 'mlp') ?? circuits[0]!;
    await writeFile(input, JSON.stringify(circuit.generateInput(Math.random)));
    const args = ['infer', '--circuit', circuit.name, '--input', input, '--url', validator.apiUrl];
    const wallet = [
      '--wallet.path',
      user.path,
      '--wallet.name',
      user.name,
      '--wallet.hotkey',
      user.hotkeyName,
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT_BIN, ...args, ...wallet], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ verified: true, verifiedLocally: true });
  }, 120_000);

  it('a cheating miner ranked first is skipped and the next one answers', async () => {
    const validatorWallet = await createDevelopmentWallet({
      path: join(dir, 'net', 'wallets'),
      name: 'validator',
      hotkey: 'default',
    });
    const cheat = uidOf('cheat');
    const router = new OrganicRouter({
      query: dendriteQuery(new Dendrite(validatorWallet)),
      candidates: () => queryableMiners(validator.loop.metagraph!, validator.uid),
      scoreOf: (uid) => (uid === cheat ? 1 : 0),
      maxAttempts: 3,
    });
    expect(router.ranked()[0]?.uid).toBe(cheat);
    const circuit = circuits.find((c) => c.name === 'mlp') ?? circuits[0]!;
    const answer = await router.infer(circuit, circuit.generateInput(Math.random));
    expect(answer.skipped).toEqual([{ uid: cheat, reason: 'INPUT_MISMATCH' }]);
    expect(answer.miner.uid).not.toBe(cheat);
    expect(answer.timings.attempts).toBe(2);
    // The failure sends it to the back of the organic queue for a while.
    expect(router.ranked().at(-1)?.uid).toBe(cheat);
  }, 120_000);

  it('refuses replayed, forged and unlisted requests', async () => {
    const body = JSON.stringify({ circuit: 'nope', inputs: [[0]] });
    const post = (headers: Record<string, string>) =>
      fetch(`${validator.apiUrl}/v1/infer`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        code: ((await r.json()) as { error: { code: string } }).error.code,
      }));
    const signed = signApiRequest(user.hotkey, { method: 'POST', path: '/v1/infer', body });
    expect(await post(signed)).toEqual({ status: 404, code: 'UNKNOWN_CIRCUIT' }); // admitted, then 404
    expect(await post(signed)).toEqual({ status: 401, code: 'REPLAYED' });
    const stranger = new Keyring({ type: 'sr25519' }).addFromUri('//Stranger');
    const forged = {
      ...signApiRequest(stranger, { method: 'POST', path: '/v1/infer', body }),
      'x-origin-ss58': user.hotkey.address,
    };
    expect(await post(forged)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await post(signApiRequest(stranger, { method: 'POST', path: '/v1/infer', body }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('organic requests changed no score, counter, step or saved input of the validator', () => {
    expect(validator.state.step).toBe(1);
    expect(scoringState(validator)).toBe(snapshot);
  });
});
