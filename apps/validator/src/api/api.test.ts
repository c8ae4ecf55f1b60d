import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { CircuitStore, toPublicSignals } from '@omron/circuits';
import { OmronClient, OmronClientError, RpcConnection, signApiRequest } from '@omron/client';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toValidatorCircuit } from '../circuit-adapter.js';
import type { MinerTarget, ServedCircuit } from '../ports.js';
import { accessRule } from './access.js';
import { CircuitCatalog } from './catalog.js';
import { ApiGate } from './gate.js';
import { RequestLimits } from './limits.js';
import { OrganicRouter } from './organic.js';
import { ReplayGuard } from './request-auth.js';
import { createInferenceApi } from './routes.js';
import { RpcEndpoint } from './rpc.js';

/**
 * The inference API's front door over a real HTTP server, real sr25519 signatures and a real circuit (keys
 * built here, a real proof for `/v1/verify`). No miner is reachable, so a request that gets past auth and
 * validation ends in `NO_MINER` (504): that status is the proof it was admitted.
 */
const CIRCUIT = 'sigmoid_tanh';

let dir: string;
let circuit: ServedCircuit;
let proof: { inputs: number[][]; proof: string; publicSignals: string[] };
let alice: KeyringPair;
let bob: KeyringPair;
const servers: { close(cb: () => void): void }[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  const ring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = ring.addFromUri('//Alice');
  bob = ring.addFromUri('//Bob');
  dir = await mkdtemp(join(tmpdir(), 'validator-api-'));
  const store = await CircuitStore.open({ role: 'prover', cacheDir: dir, circuits: [CIRCUIT] });
  const c = store.byName(CIRCUIT);
  circuit = toValidatorCircuit(c, store.verifier(c.id));
  const inputs = c.generateInput();
  const result = await store.prover(c.id).prove(inputs);
  proof = {
    inputs,
    proof: `0x${Buffer.from(result.proof).toString('hex')}`,
    publicSignals: toPublicSignals(result.publicInputs),
  };
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await rm(dir, { recursive: true, force: true });
});

async function startApi(
  options: {
    public?: boolean;
    allow?: string[];
    minStake?: number;
    stakes?: Record<string, number>;
    perMinute?: number;
    candidates?: MinerTarget[];
  } = {},
) {
  const catalog = new CircuitCatalog([circuit]);
  const router = new OrganicRouter({
    query: async () => ({
      statusCode: 503,
      statusMessage: 'unreachable',
      processTimeS: null,
      output: null,
      responseSignature: null,
    }),
    candidates: () => options.candidates ?? [],
    scoreOf: () => 0,
    maxAttempts: 3,
  });
  const gate = new ApiGate({
    public: options.public ?? false,
    rule: accessRule(options.allow ?? [alice.address], options.minStake),
    stakeOf: (ss58) => options.stakes?.[ss58] ?? 0,
    guard: new ReplayGuard(Math.floor(Date.now() / 1000) - 60),
    limits: new RequestLimits({ perMinute: options.perMinute ?? 1000, perKeyInFlight: 4, totalInFlight: 16 }),
  });
  const app = new Hono().route('/v1', createInferenceApi({ catalog, router, gate }));
  const rpc = new RpcEndpoint({ catalog, router, gate });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  server.on('upgrade', (req, socket, head) => rpc.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.once('listening', resolve));
  servers.push({
    close: (cb) => {
      rpc.close();
      server.close(cb);
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const inferBody = () => JSON.stringify({ circuit: CIRCUIT, inputs: circuit.generateInput(Math.random) });

describe('the published circuits', () => {
  it('lists each circuit with its schema, serves a vk that hashes to the id and the settings; 404 otherwise', async () => {
    const base = await startApi();
    const client = new OmronClient({ url: base });
    const [info] = await client.circuits();
    expect(info).toMatchObject({ id: circuit.id, name: CIRCUIT, proofSystem: 'halo2-kzg-bn254' });
    expect(info!.inputSchema).toMatchObject({ type: 'array', minItems: 1 });
    expect((await client.circuit(CIRCUIT)).id).toBe(circuit.id);
    const vk = await client.verifyingKey(circuit.id);
    expect(createHash('sha256').update(vk).digest('hex')).toBe(circuit.id);
    expect(JSON.parse(await client.settingsJson(CIRCUIT))).toMatchObject({ k: circuit.k });
    const missing = await fetch(`${base}/v1/circuits/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'UNKNOWN_CIRCUIT' } });
    expect((await fetch(`${base}/v1/nothing`)).status).toBe(404);
  });
});

describe('signed requests', () => {
  it('admits a signed request of an allowed key (then 504: no miner), refuses it replayed', async () => {
    const base = await startApi();
    const body = inferBody();
    const headers = signApiRequest(alice, { method: 'POST', path: '/v1/infer', body });
    const first = await post(base, '/v1/infer', body, headers);
    expect(first.status).toBe(504);
    expect(first.body.error?.code).toBe('NO_MINER');
    const again = await post(base, '/v1/infer', body, headers);
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'REPLAYED' } } });
  });

  it('refuses unsigned, forged, altered, expired and wrongly-routed requests with 401', async () => {
    const base = await startApi();
    const body = inferBody();
    const sign = (over: Partial<Parameters<typeof signApiRequest>[1]> = {}, pair = alice) =>
      signApiRequest(pair, { method: 'POST', path: '/v1/infer', body, ...over });
    expect((await post(base, '/v1/infer', body)).body.error?.code).toBe('UNAUTHORIZED');
    // Bob signs but claims to be Alice.
    const forged = { ...sign({}, bob), 'x-origin-ss58': alice.address };
    expect(await post(base, '/v1/infer', body, forged)).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED' } },
    });
    // The body is covered: one changed value breaks the signature.
    const altered = body.replace(/\d/, (d) => String((Number(d) + 1) % 10));
    expect((await post(base, '/v1/infer', altered, sign())).body.error?.code).toBe('UNAUTHORIZED');
    // So are the method and the path: a signature for /v1/verify is no good on /v1/infer.
    expect((await post(base, '/v1/infer', body, sign({ path: '/v1/verify' }))).status).toBe(401);
    const stale = sign({ now: Date.now() - 301_000 });
    expect(await post(base, '/v1/infer', body, stale)).toMatchObject({
      status: 401,
      body: { error: { code: 'SIGNATURE_EXPIRED' } },
    });
    const future = sign({ now: Date.now() + 120_000 });
    expect((await post(base, '/v1/infer', body, future)).body.error?.code).toBe('SIGNATURE_EXPIRED');
    const badNonce = sign({ nonce: 'short' });
    expect((await post(base, '/v1/infer', body, badNonce)).status).toBe(401);
  });

  it('403 for a key that is neither allow-listed nor staked enough; stake admits', async () => {
    const base = await startApi({ allow: [], minStake: 1000, stakes: { [alice.address]: 5000 } });
    const body = inferBody();
    const asBob = signApiRequest(bob, { method: 'POST', path: '/v1/infer', body });
    expect(await post(base, '/v1/infer', body, asBob)).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    const asAlice = signApiRequest(alice, { method: 'POST', path: '/v1/infer', body });
    expect((await post(base, '/v1/infer', body, asAlice)).status).toBe(504);
  });

  it('429 with retry-after once a key spends its per-minute budget', async () => {
    const base = await startApi({ perMinute: 2 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const body = inferBody();
      const res = await fetch(`${base}/v1/infer`, {
        method: 'POST',
        headers: signApiRequest(alice, { method: 'POST', path: '/v1/infer', body }),
        body,
      });
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
      if (res.status === 429) expect(await res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    expect(statuses).toEqual([504, 504, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('400 with the schema message for malformed or out-of-range input, 404 for an unknown circuit', async () => {
    const base = await startApi();
    const send = async (value: unknown) => {
      const body = JSON.stringify(value);
      return post(
        base,
        '/v1/infer',
        body,
        signApiRequest(alice, { method: 'POST', path: '/v1/infer', body }),
      );
    };
    const short = await send({ circuit: CIRCUIT, inputs: [[0.1, 0.2]] });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(short.body.error?.message).toMatch(/^inputs\[0\]: must have \d+ values/);
    const big = circuit.generateInput(Math.random);
    big[0]![3] = circuit.maxAbsInput * 2;
    const range = await send({ circuit: CIRCUIT, inputs: big });
    expect(range).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(range.body.error?.message).toMatch(/outside/);
    expect((await send({ circuit: 'nope', inputs: big })).status).toBe(404);
    expect((await send('not an object')).body.error?.code).toBe('BAD_REQUEST');
    const notJson = '{"circuit":';
    const res = await post(
      base,
      '/v1/infer',
      notJson,
      signApiRequest(alice, { method: 'POST', path: '/v1/infer', body: notJson }),
    );
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  });

  it('public mode needs no signature and limits per IP', async () => {
    const base = await startApi({ public: true, perMinute: 1 });
    expect((await post(base, '/v1/infer', inferBody())).status).toBe(504);
    expect((await post(base, '/v1/infer', inferBody())).status).toBe(429);
  });
});

describe('POST /v1/verify', () => {
  it('verifies a real proof against the inputs it is for, and refuses it for other inputs or changed bytes', async () => {
    const base = await startApi();
    const client = new OmronClient({ url: base, signer: alice });
    const request = { circuit: CIRCUIT, ...proof };
    expect(await client.verifyRemote(request)).toEqual({ verified: true });
    const other = circuit.generateInput(Math.random);
    expect(await client.verifyRemote({ ...request, inputs: other })).toMatchObject({
      verified: false,
      reason: 'INPUT_MISMATCH',
    });
    const flipped = `${proof.proof.slice(0, 200)}${proof.proof[200] === '0' ? '1' : '0'}${proof.proof.slice(201)}`;
    expect(await client.verifyRemote({ ...request, proof: flipped })).toMatchObject({
      verified: false,
      reason: 'PROOF_INVALID',
    });
    await expect(client.verifyRemote({ ...request, proof: 'zz' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
    });
  });
});

describe('WebSocket JSON-RPC at /v1/rpc', () => {
  it('refuses an unsigned upgrade, lists circuits over a signed one, and answers errors in JSON-RPC', async () => {
    const base = await startApi();
    await expect(new OmronClient({ url: base }).rpc()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
    });
    // A captured upgrade request cannot be replayed either.
    const url = `${base.replace('http', 'ws')}/v1/rpc`;
    const headers = signApiRequest(alice, { method: 'GET', path: '/v1/rpc' });
    await (await RpcConnection.open(url, headers)).close();
    await expect(RpcConnection.open(url, headers)).rejects.toMatchObject({ code: 'REPLAYED', status: 401 });
    const rpc = await new OmronClient({ url: base, signer: alice }).rpc();
    try {
      const circuits = await rpc.call<{ id: string }[]>('circuits');
      expect(circuits.map((c) => c.id)).toEqual([circuit.id]);
      await expect(rpc.call('nope')).rejects.toMatchObject({ code: '-32601' });
      await expect(rpc.call('infer', { circuit: CIRCUIT, inputs: [[1]] })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      const progress: string[] = [];
      const failed = rpc.call(
        'infer',
        { circuit: CIRCUIT, inputs: circuit.generateInput(Math.random) },
        (p) => progress.push(p.stage),
      );
      await expect(failed).rejects.toBeInstanceOf(OmronClientError);
      await expect(failed).rejects.toMatchObject({ code: 'NO_MINER' });
      expect(progress).toEqual(['routing']);
    } finally {
      await rpc.close();
    }
  });
});
