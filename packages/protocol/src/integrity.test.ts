import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { KeyringPair } from '@polkadot/keyring/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { axonMiddleware } from './axon.js';
import { Dendrite } from './dendrite.js';
import { nowNs } from './nonce.js';
import type { DendriteFetch } from './pinned-fetch.js';
import { buildSignedRequest } from './request.js';
import {
  RESPONSE_SIGNATURE_HEADER,
  responseBodyHash,
  responseSignatureMessage,
  signResponse,
} from './response-signature.js';
import { verifyMessage } from './signature.js';
import { createSynapse, defineSynapse, type SynapseBase, type SynapseDefinition } from './synapse.js';
import {
  QueryForCapacitiesDefinition,
  QueryZkProofDefinition,
  type QueryZkProofSynapse,
} from './synapses.js';
import { createTestAxonApp, MINER_MNEMONIC, testPair, VALIDATOR_MNEMONIC } from './test-support.js';

let validator: KeyringPair;
let miner: KeyringPair;
let stranger: KeyringPair;
beforeAll(async () => {
  validator = await testPair(VALIDATOR_MNEMONIC);
  miner = await testPair(MINER_MNEMONIC);
  stranger = await testPair('legal winner thank year wave sausage worth useful legal winner thank yellow');
});

let uuid = 0;
function signed<T extends SynapseBase>(def: SynapseDefinition<T>, synapse: T) {
  return buildSignedRequest({
    definition: def,
    synapse,
    signer: validator,
    target: { ip: '127.0.0.1', port: 8091, hotkey: miner.address },
    nonce: nowNs(),
    uuid: `integrity-${uuid++}`,
    version: 10_002_000,
    externalIp: '127.0.0.1',
    timeoutS: 12,
  });
}

const zk = (publicInputs: unknown = [[1, 2, 3]]) =>
  createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'm', public_inputs: publicInputs } });

/** A test axon that counts how often its QueryZkProof handler actually ran. */
function countingApp() {
  const seen: unknown[] = [];
  const app = createTestAxonApp({ hotkey: miner }, 0, (first) =>
    first.use('/QueryZkProof', async (c, next) => {
      seen.push((c.get('synapse') as QueryZkProofSynapse).query_input);
      await next();
    }),
  );
  return { app, seen };
}

const post = (
  app: ReturnType<typeof createTestAxonApp>,
  req: { headers: Record<string, string>; body: string },
) => app.request('/QueryZkProof', { method: 'POST', headers: req.headers, body: req.body });

describe('requests: the signature covers every field a handler reads', () => {
  it('refuses a body changed after signing (other public_inputs, same headers) before any work', async () => {
    const { app, seen } = countingApp();
    const req = signed(QueryZkProofDefinition, zk([[1, 2, 3]]));
    const swapped = req.body.replace('[[1,2,3]]', '[[9,9,9]]');
    expect(swapped).not.toBe(req.body);
    const res = await post(app, { headers: req.headers, body: swapped });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Hash mismatch/);
    expect(seen).toEqual([]);
    // The same request untouched goes through (its nonce was spent by the tampered copy, so a fresh one).
    expect((await post(app, signed(QueryZkProofDefinition, zk([[1, 2, 3]])))).status).toBe(200);
    expect(seen).toEqual([{ model_id: 'm', public_inputs: [[1, 2, 3]] }]);
  });

  it('refuses a changed timeout in the body (401) or in the headers (400)', async () => {
    const { app, seen } = countingApp();
    const req = signed(QueryZkProofDefinition, zk());
    const body = await post(app, {
      headers: req.headers,
      body: req.body.replace('"timeout":12', '"timeout":0.001'),
    });
    expect(body.status).toBe(401);
    const fresh = signed(QueryZkProofDefinition, zk());
    const header = await post(app, { headers: { ...fresh.headers, timeout: '0.5' }, body: fresh.body });
    expect(header.status).toBe(400);
    expect(((await header.json()) as { message: string }).message).toMatch(/^timeout header 0.5 differs/);
    expect(seen).toEqual([]);
  });

  it('refuses changed signed headers: body hash re-computed for a new body, nonce, uuid, caller hotkey', async () => {
    const { app, seen } = countingApp();
    const original = signed(QueryZkProofDefinition, zk([[1]]));
    const other = signed(QueryZkProofDefinition, zk([[2]]));
    const variants = [
      // The attacker's body with its matching hash, under the original signature.
      { ...original.headers, computed_body_hash: other.headers.computed_body_hash! },
      { ...original.headers, bt_header_dendrite_nonce: String(nowNs()) },
      { ...original.headers, bt_header_dendrite_uuid: 'another-uuid' },
      { ...original.headers, bt_header_dendrite_hotkey: stranger.address },
    ];
    const bodies = [other.body, original.body, original.body, original.body];
    for (const [i, headers] of variants.entries()) {
      const res = await post(app, { headers, body: bodies[i]! });
      expect([i, res.status]).toEqual([i, 401]);
    }
    expect(seen).toEqual([]);
  });

  it('refuses every random change to the signed body, counted, and keeps serving', async () => {
    const { app, seen } = countingApp();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 8 }),
        async (asked, forged) => {
          fc.pre(JSON.stringify(asked) !== JSON.stringify(forged));
          const req = signed(QueryZkProofDefinition, zk([asked]));
          const body = req.body.replace(JSON.stringify([asked]), JSON.stringify([forged]));
          const res = await post(app, { headers: req.headers, body });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.headers.get('content-type')).toContain('application/json');
          return res.status === 401;
        },
      ),
      { numRuns: 200 },
    );
    expect(seen).toEqual([]);
    expect([...statuses.keys()]).toEqual([401]);
    expect((await post(app, signed(QueryZkProofDefinition, zk()))).status).toBe(200);
  });

  it('will not serve a synapse whose request fields the signature does not cover', () => {
    const Loose = defineSynapse('Loose', { prompt: z.string().nullable().default(null) });
    expect(() => axonMiddleware({ hotkey: miner, synapses: [Loose] })).toThrow(
      expect.objectContaining({ code: 'SYNAPSE_INVALID', message: expect.stringMatching(/prompt/) }),
    );
    const Covered = defineSynapse(
      'Covered',
      { prompt: z.string().nullable().default(null), answer: z.string().nullable().default(null) },
      { requiredHashFields: ['prompt'], responseFields: ['answer'] },
    );
    expect(() => axonMiddleware({ hotkey: miner, synapses: [Covered] })).not.toThrow();
  });
});

describe('responses: signed by the axon over the request and the exact body', () => {
  it('signs success and error answers of verified requests, for every synapse', async () => {
    const { app } = countingApp();
    for (const [req, path, status] of [
      [signed(QueryZkProofDefinition, zk()), '/QueryZkProof', 200],
      [
        signed(QueryForCapacitiesDefinition, createSynapse(QueryForCapacitiesDefinition)),
        '/QueryForCapacities',
        200,
      ],
      [
        signed(
          QueryZkProofDefinition,
          createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'throw' } }),
        ),
        '/QueryZkProof',
        500,
      ],
    ] as const) {
      const res = await app.request(path, { method: 'POST', headers: req.headers, body: req.body });
      expect(res.status).toBe(status);
      const body = await res.text();
      const message = responseSignatureMessage({
        nonce: BigInt(req.headers.bt_header_dendrite_nonce!),
        dendriteHotkey: validator.address,
        axonHotkey: miner.address,
        uuid: req.headers.bt_header_dendrite_uuid!,
        status,
        bodyHash: responseBodyHash(body),
      });
      const signature = res.headers.get(RESPONSE_SIGNATURE_HEADER)!;
      expect(verifyMessage(message, signature, miner.address)).toBe(true);
      expect(verifyMessage(message, signature, stranger.address)).toBe(false);
      expect(verifyMessage(message.replace(`.${status}.`, '.299.'), signature, miner.address)).toBe(false);
    }
  });

  describe('the dendrite checks them against the hotkey it called', () => {
    let server: Server;
    let port: number;
    const earlier: { headers: Headers; body: string }[] = [];
    beforeAll(async () => {
      server = serve({
        fetch: createTestAxonApp({ hotkey: miner }).fetch,
        port: 0,
        hostname: '127.0.0.1',
      }) as Server;
      if (!server.listening) await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    /** A man in the middle: forwards the request over real HTTP, then hands back `tamper(answer)`. */
    const onPath =
      (
        tamper: (
          a: { headers: Headers; body: string; status: number },
          sent: RequestInit & { headers: Record<string, string> },
        ) => { headers: Headers; body: string; status: number },
      ): DendriteFetch =>
      async (url, init) => {
        const res = await fetch(url, init);
        const answer = { headers: new Headers(res.headers), body: await res.text(), status: res.status };
        earlier.push({ headers: answer.headers, body: answer.body });
        const out = tamper(answer, init);
        return new Response(out.body, { status: out.status, headers: out.headers });
      };
    const target = () => ({ ip: '127.0.0.1', port, hotkey: miner.address });
    const call = (fetchImpl: DendriteFetch, opts: { requireSignedResponses?: boolean } = {}) =>
      new Dendrite(validator, { fetch: fetchImpl, ...opts }).call(target(), zk(), { timeoutS: 5 });

    it('accepts the honest answer', async () => {
      const res = await call(onPath((a) => a));
      expect([res.statusCode, res.responseSignature, res.isSuccess]).toEqual([200, 'valid', true]);
      expect(res.synapse.query_output).toBe(`seen by ${validator.address}`);
    });

    it('fails a changed response body (query_output swapped)', async () => {
      const res = await call(
        onPath((a) => ({ ...a, body: a.body.replace(`seen by ${validator.address}`, 'seen by nobody') })),
      );
      expect(res.synapse.query_output).toBe('seen by nobody');
      expect([res.statusCode, res.responseSignature, res.isSuccess]).toEqual([200, 'invalid', false]);
    });

    it('fails an answer signed by another hotkey', async () => {
      const res = await call(
        onPath((a, sent) => {
          const headers = new Headers(a.headers);
          headers.set(
            RESPONSE_SIGNATURE_HEADER,
            signResponse(stranger, {
              nonce: BigInt(sent.headers.bt_header_dendrite_nonce!),
              dendriteHotkey: validator.address,
              uuid: sent.headers.bt_header_dendrite_uuid!,
              status: a.status,
              bodyHash: responseBodyHash(a.body),
            }),
          );
          return { ...a, headers };
        }),
      );
      expect([res.responseSignature, res.isSuccess]).toEqual(['invalid', false]);
    });

    it('fails an answer replayed from an earlier request', async () => {
      const first = await call(onPath((a) => a));
      expect(first.isSuccess).toBe(true);
      const recorded = earlier.at(-1)!;
      const replayed = await call(onPath(() => ({ ...recorded, status: 200 })));
      expect(replayed.synapse.query_output).toBe(first.synapse.query_output);
      expect([replayed.responseSignature, replayed.isSuccess]).toEqual(['invalid', false]);
    });

    it('fails an unsigned answer unless told that the axon does not sign', async () => {
      const strip = onPath((a) => {
        const headers = new Headers(a.headers);
        headers.delete(RESPONSE_SIGNATURE_HEADER);
        return { ...a, headers };
      });
      const res = await call(strip);
      expect([res.statusCode, res.responseSignature, res.isSuccess]).toEqual([200, 'missing', false]);
      const lenient = await call(strip, { requireSignedResponses: false });
      expect([lenient.responseSignature, lenient.isSuccess]).toEqual(['missing', true]);
    });

    it('fails an error answer turned into a success by the headers', async () => {
      const res = await call(
        onPath((a) => {
          const headers = new Headers(a.headers);
          headers.set('bt_header_axon_status_code', '200');
          return { ...a, status: 503, headers };
        }),
      );
      expect(res.isSuccess).toBe(false);
      expect(res.responseSignature).toBe('invalid');
    });
  });
});
