import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { LocalChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { type InferProgress, OmronClient, signApiRequest } from '@omron/client';
import { createDevelopmentWallet, Dendrite, type Wallet } from '@omron/protocol';
import { Keyring } from '@polkadot/keyring';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRule } from '../src/api/access.js';
import { CircuitCatalog } from '../src/api/catalog.js';
import { ApiGate } from '../src/api/gate.js';
import { RequestLimits } from '../src/api/limits.js';
import { OrganicRouter } from '../src/api/organic.js';
import { ReplayGuard } from '../src/api/request-auth.js';
import { createInferenceApi } from '../src/api/routes.js';
import { createApp } from '../src/app.js';
import { toValidatorCircuit } from '../src/circuit-adapter.js';
import { loadConfig } from '../src/config.js';
import { queryableMiners } from '../src/loop.js';
import { createMetrics } from '../src/metrics.js';
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
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`try-page browser test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);
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

function validatorWallet(): Promise<Wallet> {
  return createDevelopmentWallet({ path: join(dir, 'net', 'wallets'), name: 'validator', hotkey: 'default' });
}

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
    const cheat = uidOf('cheat');
    const router = new OrganicRouter({
      query: dendriteQuery(new Dendrite(await validatorWallet())),
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

  it.skipIf(!hasChromium)(
    'the try page in headless Chromium: generate an input, run it, see the verified output, miner, times and local check',
    async () => {
      // The page calls the API from the browser, which cannot sign: a public API (as on `pnpm start`) over the
      // same miners, the validator's own state and the same routes as the validator serves.
      const catalog = new CircuitCatalog(circuits);
      const router = new OrganicRouter({
        query: dendriteQuery(new Dendrite(await validatorWallet())),
        candidates: () => queryableMiners(validator.loop.metagraph!, validator.uid),
        scoreOf: (uid) => (uid < validator.state.book.size ? validator.state.book.score(uid) : 0),
        maxAttempts: 3,
      });
      const gate = new ApiGate({
        public: true,
        rule: accessRule(undefined, undefined),
        stakeOf: () => 0,
        guard: new ReplayGuard(0),
        limits: new RequestLimits({ perMinute: 100, perKeyInFlight: 4, totalInFlight: 8 }),
      });
      const app = createApp({
        network: 'local',
        netuid: NETUID,
        selfUid: validator.uid,
        state: () => validator.state,
        registry: createMetrics(() => validator.state).registry,
        tryPage: {
          circuits: circuits.map((c) => ({ id: c.id, name: c.name })),
          public: true,
          apiPort: undefined,
          example: (id) => circuits.find((c) => c.id === id)?.generateInput(Math.random),
        },
      });
      app.route('/v1', createInferenceApi({ catalog, router, gate }));
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve) => server.once('listening', resolve));
      const profile = await mkdtemp(join(tmpdir(), 'validator-chromium-'));
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1100, height: 900 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/try`);
        const mlp = circuits.find((c) => c.name === 'mlp') ?? circuits[0]!;
        await page.selectOption('#circuit', mlp.id);
        // (Conditions as page-side expressions: this package's TypeScript has no DOM types.)
        const values = mlp.inputShapes[0]!.reduce((a, b) => a * b, 1);
        await page.waitForFunction(
          `JSON.parse(document.getElementById('inputs').value || '[[]]')[0].length === ${values}`,
        );
        await page.click('#run');
        await page.waitForFunction(
          `/verified locally|NOT verified/.test(document.getElementById('local').textContent) || document.getElementById('error').textContent !== ''`,
          null,
          { timeout: 90_000 },
        );
        expect(await page.textContent('#error')).toBe('');
        expect(await page.textContent('#verified')).toContain('verified by the validator');
        expect(await page.textContent('#local')).toContain('verified locally ✓');
        expect(await page.textContent('#miner')).toMatch(/^uid \d+ · 5/);
        expect(await page.textContent('#timings')).toMatch(/total \d+ ms · miner \d+ ms/);
        const outputs = JSON.parse((await page.textContent('#outputs')) ?? 'null') as number[][];
        expect(outputs.flat().length).toBe(
          mlp.outputShapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0),
        );
        const shots = join(tmpdir(), 'omron-validator-screenshots');
        await mkdir(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'try.png'), fullPage: true });
        expect((await stat(join(shots, 'try.png'))).size).toBeGreaterThan(10_000);
        // Bad input shows the API's code and message, not a crash.
        await page.fill('#inputs', '[[1, 2]]');
        await page.click('#run');
        await page.waitForFunction(`document.getElementById('error').textContent !== ''`);
        expect(await page.textContent('#error')).toMatch(/^INVALID_INPUT: inputs\[0\]: must have \d+ values/);
      } finally {
        await browser.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(profile, { recursive: true, force: true });
      }
    },
    180_000,
  );

  it('organic requests changed no score, counter, step or saved input of the validator; metrics count them', async () => {
    expect(validator.state.step).toBe(1);
    expect(scoringState(validator)).toBe(snapshot);
    const metrics = await (await fetch(`${validator.url}/metrics`)).text();
    expect(metrics).toMatch(
      /omron_validator_organic_requests_total\{circuit="mlp",result="verified"\} [1-9]/,
    );
  });
});
