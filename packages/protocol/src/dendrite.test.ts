import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axonResponse } from './axon-response.js';
import { Dendrite } from './dendrite.js';
import { decodeProofPayload, encodeProofPayload, type ProofPayload } from './proof-payload.js';
import { createSynapse } from './synapse.js';
import {
  QueryForCapacitiesDefinition,
  QueryZkProofDefinition,
  type QueryZkProofSynapse,
} from './synapses.js';
import {
  createTestAxonApp,
  EchoDefinition,
  MINER_MNEMONIC,
  testPair,
  VALIDATOR_MNEMONIC,
} from './test-support.js';

let validator: KeyringPair;
let miner: KeyringPair;
let server: Server;
let port: number;
const callers: { hotkey: string; ip: string | null }[] = [];

const payload: ProofPayload = {
  format_version: 1,
  model_id: 'lstm',
  proof_system: 'halo2-kzg-bn254',
  proof: '0x00ff10',
  public_signals: ['1', '0x2a'],
  public_inputs: { x: [0.5] },
  outputs: [0.25],
};

async function listen(s: Server): Promise<number> {
  if (!s.listening) await once(s, 'listening');
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  validator = await testPair(VALIDATOR_MNEMONIC);
  miner = await testPair(MINER_MNEMONIC);
  const app = createTestAxonApp(
    {
      hotkey: miner,
      synapses: [QueryZkProofDefinition, QueryForCapacitiesDefinition, EchoDefinition],
      blacklist: (r) => ({ blocked: r.caller.hotkey === 'blocked-by-test', reason: 'test' }),
    },
    0,
    (first) =>
      first.use('/QueryZkProof', async (c, next) => {
        callers.push({ hotkey: c.get('caller').hotkey, ip: c.get('caller').ip });
        const synapse = c.get('synapse') as QueryZkProofSynapse;
        if (synapse.query_input?.model_id === 'slow') await new Promise((r) => setTimeout(r, 1500));
        if (synapse.query_input?.model_id === 'proof') {
          return axonResponse(c, { ...synapse, query_output: encodeProofPayload(payload) });
        }
        return next();
      }),
  );
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  port = await listen(server);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const axon = () => ({ ip: '127.0.0.1', port, hotkey: miner.address });

describe('Dendrite → axon over loopback HTTP', () => {
  it('round-trips QueryZkProof with a proof payload and the verified caller', async () => {
    const dendrite = new Dendrite(validator);
    const synapse = createSynapse(QueryZkProofDefinition, {
      query_input: { model_id: 'proof', public_inputs: { x: [0.5] } },
    });
    const res = await dendrite.call(axon(), synapse, { timeoutS: 5 });
    expect(res.statusCode).toBe(200);
    expect(res.isSuccess).toBe(true);
    expect(res.statusMessage).toBe('Success');
    expect(res.processTimeS).toBeGreaterThan(0);
    expect(res.synapse.dendrite?.status_code).toBe(200);
    expect(res.synapse.axon?.status_code).toBe(200);
    expect(res.synapse.dendrite?.uuid).toBe(dendrite.uuid);
    expect(res.synapse.dendrite?.nonce).toBeTypeOf('bigint');
    expect(decodeProofPayload(res.synapse.query_output)).toEqual(payload);
    expect(callers.at(-1)).toEqual({ hotkey: validator.address, ip: '127.0.0.1' });
  });

  it('sends many concurrent calls from one uuid without nonce collisions', async () => {
    const dendrite = new Dendrite(validator);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        dendrite.call(axon(), createSynapse(QueryForCapacitiesDefinition), { timeoutS: 5 }),
      ),
    );
    // Requests may arrive out of order; the SDK then refuses the late lower nonces with 401 too.
    expect(results.filter((r) => r.statusCode === 200).length).toBeGreaterThan(0);
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 401)).toBe(true);
    const ok = results.find((r) => r.isSuccess)!;
    expect(ok.synapse.capacities).toEqual({ lstm: 400 });
  });

  it('round-trips a synapse with required and hashed fields', async () => {
    const res = await new Dendrite(validator, { synapses: [EchoDefinition] }).call(
      axon(),
      createSynapse(EchoDefinition, { text: 'hi', values: [1, 2.5] }),
      { timeoutS: 5 },
    );
    expect(res.statusCode).toBe(200);
    expect(res.synapse.reply).toBe('HI');
  });

  it('pings the base Synapse route', async () => {
    const { PingSynapseDefinition } = await import('./synapse.js');
    const res = await new Dendrite(validator).call(axon(), createSynapse(PingSynapseDefinition), {
      timeoutS: 5,
    });
    expect(res.statusCode).toBe(200);
  });

  it('reports axon errors with their status and message (wrong target hotkey → 401)', async () => {
    const res = await new Dendrite(validator).call(
      { ...axon(), hotkey: validator.address },
      createSynapse(QueryZkProofDefinition),
      {
        timeoutS: 5,
      },
    );
    expect(res.statusCode).toBe(401);
    expect(res.isSuccess).toBe(false);
    expect(res.statusMessage).toMatch(/^Not Verified with error: Signature mismatch/);
    expect(res.synapse.axon?.status_code).toBe(401);
  });

  it('maps a timeout to 408 with the SDK message', async () => {
    const res = await new Dendrite(validator).call(
      axon(),
      createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'slow' } }),
      { timeoutS: 0.3 },
    );
    expect(res.statusCode).toBe(408);
    expect(res.statusMessage).toBe('Request timeout after 0.3 seconds');
    expect(res.processTimeS).toBeGreaterThanOrEqual(0.29);
  });

  it('maps an unreachable axon to 503', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    const deadPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    const res = await new Dendrite(validator).call(
      { ...axon(), port: deadPort },
      createSynapse(QueryZkProofDefinition),
      {
        timeoutS: 5,
      },
    );
    expect(res.statusCode).toBe(503);
    expect(res.statusMessage).toBe(`Service unavailable at 127.0.0.1:${deadPort}/QueryZkProof`);
  });

  it('maps a non-JSON answer to 422 and a caller abort to a rejection', async () => {
    const plain = createServer((_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>bad gateway</h1>'),
    );
    plain.listen(0, '127.0.0.1');
    const plainPort = await listen(plain);
    try {
      const res = await new Dendrite(validator).call(
        { ...axon(), port: plainPort },
        createSynapse(QueryZkProofDefinition),
        {
          timeoutS: 5,
        },
      );
      expect(res.statusCode).toBe(422);
      expect(res.statusMessage).toMatch(/^Failed to parse response/);
    } finally {
      plain.closeAllConnections();
      await new Promise((r) => plain.close(r));
    }
    const controller = new AbortController();
    const pending = new Dendrite(validator).call(
      axon(),
      createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'slow' } }),
      { timeoutS: 5, signal: controller.signal },
    );
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('refuses to send a synapse it has no definition for', async () => {
    const err = await new Dendrite(validator)
      .call(axon(), { ...createSynapse(QueryZkProofDefinition), name: 'Mystery' })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('SYNAPSE_UNKNOWN');
  });
});
