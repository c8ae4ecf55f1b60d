import { createSynapse, Dendrite, QueryZkProofDefinition } from '@omron/protocol';
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
const running: RunningMiner[] = [];

async function miner(name: string, extra: Record<string, unknown> = {}) {
  const log = captureLogger();
  const m = await startMiner(minerConfig(net, name, extra), { logger: log.logger, store: net.prover });
  running.push(m);
  return { miner: m, lines: log.lines, axon: { ip: '127.0.0.1', port: m.port, hotkey: m.hotkey } };
}

function query(inputs: number[][]) {
  return createSynapse(QueryZkProofDefinition, {
    query_input: { model_id: net.circuit.id, public_inputs: inputs },
  });
}

beforeAll(async () => {
  net = await createTestNet();
}, 120_000);
afterAll(async () => {
  for (const m of running) await m.close();
});

describe('miner under load, deadlines, shutdown', () => {
  it('with 20 concurrent requests and a queue of 5, refuses the excess with 503 and proves the rest', async () => {
    const { axon } = await miner('load', { queue: { concurrency: 1, max_length: 5 } });
    const dendrite = new Dendrite(net.validator);
    const inputs = Array.from({ length: 20 }, () => net.circuit.generateInput());
    const answers = await Promise.all(inputs.map((x) => dendrite.call(axon, query(x), { timeoutS: 120 })));
    const accepted = answers.map((a, i) => ({ a, i })).filter(({ a }) => a.statusCode === 200);
    const refused = answers.filter((a) => a.statusCode === 503);
    expect(accepted.length + refused.length).toBe(20);
    // One proving, five waiting: everything else arrived while the queue was full.
    expect(accepted.length).toBe(6);
    for (const r of refused) expect(r.statusMessage).toMatch(/queue is full/);
    for (const { a, i } of accepted)
      expect(await verifyAnswer(net, a.synapse.query_output, inputs[i]!)).toBe(true);
  }, 120_000);

  it('spends no work on a request whose caller timeout passed while it waited', async () => {
    const { axon, miner: m, lines } = await miner('deadline');
    const first = new Dendrite(net.validator).call(axon, query(net.circuit.generateInput()), {
      timeoutS: 60,
    });
    await new Promise((r) => setTimeout(r, 50));
    // A caller that says it waits 0.3 s but keeps the connection open: the miner must drop it unproven.
    const req = signedRequest(
      net.validator,
      m,
      { model_id: net.circuit.id, public_inputs: net.circuit.generateInput() },
      0.3,
    );
    const impatient = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
    expect(impatient.status).toBe(408);
    expect(((await impatient.json()) as { message: string }).message).toMatch(/timeout passed/);
    expect((await first).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const metrics = await (await fetch(`${m.url}/metrics`)).text();
    expect(metrics).toMatch(/omron_miner_proofs_total\{[^}]*result="ok"[^}]*\} 1\n/);
    expect(metrics).not.toMatch(/omron_miner_proofs_total\{[^}]*result="(?!ok)/);
    expect(metrics).toMatch(/omron_miner_rejections_total\{[^}]*reason="deadline"[^}]*\} 1/);
    expect(lines.filter((l) => l.msg === 'request' && l.result === 'deadline')).toHaveLength(1);
  }, 60_000);

  it('on close, lets the proof in flight finish, then stops listening', async () => {
    const { axon, miner: m } = await miner('shutdown', { shutdown: { grace_ms: 30_000 } });
    const inputs = net.circuit.generateInput();
    const inFlight = new Dendrite(net.validator).call(axon, query(inputs), { timeoutS: 60 });
    await new Promise((r) => setTimeout(r, 200));
    await m.close();
    const answer = await inFlight;
    expect(answer.statusCode).toBe(200);
    expect(await verifyAnswer(net, answer.synapse.query_output, inputs)).toBe(true);
    await expect(fetch(`${m.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it.each([
    ['wrong-input', 'proves another input'],
    ['garbage', 'sends random proof bytes'],
  ])(
    'dev.behavior %s %s, which a validator rejects',
    async (behavior) => {
      const { axon } = await miner(`dev-${behavior}`, { dev: { behavior, delay_ms: 10 } });
      const inputs = net.circuit.generateInput();
      const answer = await new Dendrite(net.validator).call(axon, query(inputs), { timeoutS: 60 });
      expect(answer.statusCode).toBe(200);
      expect(await verifyAnswer(net, answer.synapse.query_output, inputs)).toBe(false);
    },
    60_000,
  );
});
