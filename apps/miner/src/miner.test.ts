import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import {
  createDevelopmentWallet,
  createSynapse,
  Dendrite,
  QueryForCapacitiesDefinition,
  QueryZkProofDefinition,
  type Wallet,
} from '@omron/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMiner, startMiner } from './miner.js';
import {
  captureLogger,
  createTestNet,
  minerConfig,
  signedRequest,
  type TestNet,
  verifyAnswer,
} from './test-support.js';

let net: TestNet;
let miner: RunningMiner;
let dendrite: Dendrite;
let axon: { ip: string; port: number; hotkey: string };
const log = captureLogger();

function query(modelId: string, inputs: unknown) {
  return createSynapse(QueryZkProofDefinition, { query_input: { model_id: modelId, public_inputs: inputs } });
}

beforeAll(async () => {
  net = await createTestNet();
  miner = await startMiner(minerConfig(net, 'miner-a'), { logger: log.logger, store: net.prover });
  dendrite = new Dendrite(net.validator);
  axon = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey };
}, 120_000);
afterAll(async () => {
  await miner?.close();
});

describe('miner on the local network', () => {
  it('registers itself as a miner and announces its axon', async () => {
    const chain = await LocalChain.open({ dir: join(net.dir, 'localnet') });
    const neuron = (await chain.metagraph(2)).neurons[miner.uid];
    await chain.close();
    expect(neuron).toMatchObject({ hotkey: miner.hotkey, validatorPermit: false });
    expect(neuron?.axon).toMatchObject({ ip: '127.0.0.1', port: miner.port });
  });

  it('answers a signed QueryZkProof with a proof that verifies against the validator’s own input', async () => {
    const inputs = net.circuit.generateInput();
    const res = await dendrite.call(axon, query(net.circuit.id, inputs), { timeoutS: 30 });
    expect(res.statusCode).toBe(200);
    // Signed by the miner's hotkey through the shared axon middleware, checked by the dendrite.
    expect([res.responseSignature, res.isSuccess]).toEqual(['valid', true]);
    expect(await verifyAnswer(net, res.synapse.query_output, inputs)).toBe(true);
    // …and not against another input.
    expect(await verifyAnswer(net, res.synapse.query_output, net.circuit.generateInput())).toBe(false);
    const line = log.lines.find(
      (l) => l.msg === 'request' && l.synapse === 'QueryZkProof' && l.status === 200,
    );
    expect(line).toMatchObject({ caller: net.validator.hotkey.address, circuit: 'cnn', result: 'proved' });
    expect(line?.queueWaitMs).toBeTypeOf('number');
    expect(line?.proveMs).toBeGreaterThan(0);
  }, 30_000);

  it('answers QueryForCapacities with every circuit id', async () => {
    const res = await dendrite.call(axon, createSynapse(QueryForCapacitiesDefinition, {}), { timeoutS: 5 });
    expect(res.statusCode).toBe(200);
    expect(res.synapse.capacities).toEqual({ [net.circuit.id]: 9 });
  });

  it('rejects unsigned and forged requests with 401', async () => {
    const inputs = net.circuit.generateInput();
    const unsigned = signedRequest(net.validator, miner, { model_id: net.circuit.id, public_inputs: inputs });
    delete unsigned.headers.bt_header_dendrite_signature;
    const r1 = await fetch(unsigned.url, { method: 'POST', headers: unsigned.headers, body: unsigned.body });
    expect(r1.status).toBe(401);
    expect(((await r1.json()) as { message: string }).message).toMatch(/Missing signature/);

    const forger = await createDevelopmentWallet({
      path: join(net.dir, 'wallets'),
      name: 'forger',
      hotkey: 'x',
    });
    const forged = signedRequest(net.validator, miner, { model_id: net.circuit.id, public_inputs: inputs });
    forged.headers.bt_header_dendrite_signature = signedRequest(forger, miner, {}).headers
      .bt_header_dendrite_signature!;
    const r2 = await fetch(forged.url, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(r2.status).toBe(401);
    expect(((await r2.json()) as { message: string }).message).toMatch(/Signature mismatch/);
  });

  it('refuses a signed request whose inputs were changed on the way, before any proving, and counts it', async () => {
    const asked = net.circuit.generateInput();
    const req = signedRequest(net.validator, miner, { model_id: net.circuit.id, public_inputs: asked });
    const other = JSON.stringify(net.circuit.generateInput());
    const body = req.body.replace(JSON.stringify(asked), other);
    expect(body).toContain(other);
    const proofsBefore = log.lines.filter((l) => l.result === 'proved').length;
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Hash mismatch/);
    expect(log.lines.filter((l) => l.result === 'proved').length).toBe(proofsBefore);
    const metrics = await (await fetch(`${miner.url}/metrics`)).text();
    expect(metrics).toMatch(/omron_miner_rejections_total\{[^}]*reason="body-hash-mismatch"[^}]*\} 1/);
  });

  it('blacklists unregistered and under-staked callers with 403', async () => {
    const stranger = await createDevelopmentWallet({
      path: join(net.dir, 'wallets'),
      name: 'stranger',
      hotkey: 'x',
    });
    const r1 = await new Dendrite(stranger).call(axon, query(net.circuit.id, net.circuit.generateInput()), {
      timeoutS: 5,
    });
    expect(r1.statusCode).toBe(403);
    expect(r1.statusMessage).toMatch(/not registered/);
    // Another miner is registered but has neither the stake nor a permit.
    const other: Wallet = await createDevelopmentWallet({
      path: join(net.dir, 'localnet', 'wallets'),
      name: 'miner-a',
      hotkey: 'default',
    });
    const r2 = await new Dendrite(other).call(axon, query(net.circuit.id, net.circuit.generateInput()), {
      timeoutS: 5,
    });
    expect(r2.statusCode).toBe(403);
    expect(r2.statusMessage).toMatch(/below the minimum of 1024/);
  });

  it.each([
    [
      'a wrong-length input',
      (id: string) => ({ model_id: id, public_inputs: [[1, 2, 3]] }),
      /must have 64 values/,
    ],
    [
      'a non-numeric input',
      (id: string) => ({ model_id: id, public_inputs: [['a']] }),
      /must be a finite number/,
    ],
    ['no inputs', (id: string) => ({ model_id: id }), /Empty query input/],
    ['an unknown model', () => ({ model_id: 'ab'.repeat(32), public_inputs: [[0]] }), /Unknown model_id/],
  ])('answers %s with 400 and a message', async (_label, make, message) => {
    const synapse = createSynapse(QueryZkProofDefinition, { query_input: make(net.circuit.id) });
    const res = await dendrite.call(axon, synapse, { timeoutS: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.statusMessage).toMatch(message);
  });

  it('serves /healthz in < 50 ms while proving', async () => {
    const proving = dendrite.call(axon, query(net.circuit.id, net.circuit.generateInput()), { timeoutS: 30 });
    const latencies: number[] = [];
    let sawBusy = false;
    const done = proving.then(() => true);
    while (!(await Promise.race([done, new Promise<false>((r) => setTimeout(() => r(false), 20))]))) {
      const t = performance.now();
      const body = (await (await fetch(`${miner.url}/healthz`)).json()) as { queue: { running: number } };
      latencies.push(performance.now() - t);
      sawBusy ||= body.queue.running === 1;
    }
    expect((await proving).statusCode).toBe(200);
    expect(sawBusy).toBe(true);
    expect(latencies.length).toBeGreaterThan(3);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
    const max = sorted.at(-1)!;
    console.log(
      `healthz during a proof: n=${sorted.length}, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    // A blocked loop would leave a handful of samples, each waiting out the proof. The max is only
    // printed: on a 2-core machine shared with other CPU-bound work, the OS alone can pause the
    // process now and then (seen up to ~1 s with no JS callback running longer than 150 ms).
    expect(p90).toBeLessThan(50);
  }, 30_000);

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${miner.url}/metrics`)).text();
    expect(text).toMatch(/omron_miner_requests_total\{[^}]*synapse="QueryZkProof",status="200"[^}]*\} [1-9]/);
    expect(text).toMatch(/omron_miner_proof_seconds_count\{[^}]*circuit="cnn"[^}]*\} [1-9]/);
    expect(text).toMatch(/omron_miner_rejections_total\{[^}]*reason="low-stake"[^}]*\} 1/);
    expect(text).toMatch(/omron_miner_rejections_total\{[^}]*reason="not-verified"[^}]*\} 2/);
    expect(text).toMatch(/omron_miner_queue_depth\{[^}]*\} 0/);
  });
});
