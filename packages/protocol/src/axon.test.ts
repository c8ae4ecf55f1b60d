import type { KeyringPair } from '@polkadot/keyring/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { nowNs } from './nonce.js';
import { buildSignedRequest } from './request.js';
import { RESPONSE_SIGNATURE_HEADER } from './response-signature.js';
import { createSynapse, type SynapseBase, type SynapseDefinition } from './synapse.js';
import { QueryForCapacitiesDefinition, QueryZkProofDefinition } from './synapses.js';
import {
  createTestAxonApp,
  EchoDefinition,
  MINER_MNEMONIC,
  testPair,
  VALIDATOR_MNEMONIC,
} from './test-support.js';

let validator: KeyringPair;
let miner: KeyringPair;
let stranger: KeyringPair;
beforeAll(async () => {
  validator = await testPair(VALIDATOR_MNEMONIC);
  miner = await testPair(MINER_MNEMONIC);
  stranger = await testPair('legal winner thank year wave sausage worth useful legal winner thank yellow');
});

const synapses = [
  QueryZkProofDefinition,
  QueryForCapacitiesDefinition,
  EchoDefinition,
] as SynapseDefinition[];
let uuidCounter = 0;

function signed<T extends SynapseBase>(
  def: SynapseDefinition<T>,
  synapse: T,
  over: { signer?: KeyringPair; axonHotkey?: string; nonce?: bigint; uuid?: string; timeoutS?: number } = {},
) {
  return buildSignedRequest({
    definition: def,
    synapse,
    signer: over.signer ?? validator,
    target: { ip: '127.0.0.1', port: 8091, hotkey: over.axonHotkey ?? miner.address },
    nonce: over.nonce ?? nowNs(),
    uuid: over.uuid ?? `uuid-${uuidCounter++}`,
    version: 10_002_000,
    externalIp: '127.0.0.1',
    timeoutS: over.timeoutS ?? 12,
  });
}

function send(
  app: ReturnType<typeof createTestAxonApp>,
  req: { url: string; headers: Record<string, string>; body: string },
) {
  const path = new URL(req.url).pathname;
  return app.request(path, { method: 'POST', headers: req.headers, body: req.body });
}

/** The response fields these tests read. */
interface WireBody {
  message: string;
  reply: string;
  name: string;
  query_output: string;
  query_input: unknown;
  extra_field?: unknown;
  axon: { status_code: number; status_message: string };
}
const json = async (res: Response) => (await res.json()) as WireBody;

const zk = () =>
  createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'm', public_inputs: [1, 2] } });

describe('axonMiddleware', () => {
  it('answers a valid request with 200, axon status and the SDK response headers', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const res = await send(app, signed(QueryZkProofDefinition, zk()));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('bt_header_axon_status_code')).toBe('200');
    expect(res.headers.get('bt_header_axon_status_message')).toBe('Success');
    expect(Number(res.headers.get('bt_header_axon_process_time'))).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('bt_header_dendrite_hotkey')).toBe(validator.address);
    const body = await json(res);
    expect(body.axon).toMatchObject({ status_code: 200, status_message: 'Success' });
    expect(body.query_output).toBe(`seen by ${validator.address}`);
    expect(body.query_input).toEqual({ model_id: 'm', public_inputs: [1, 2] });
    expect(body.name).toBe('QueryZkProof');
  });

  it('serves the base Synapse ping route', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const { PingSynapseDefinition } = await import('./synapse.js');
    const res = await send(app, signed(PingSynapseDefinition, createSynapse(PingSynapseDefinition)));
    expect(res.status).toBe(200);
    expect((await json(res)).axon.status_code).toBe(200);
  });

  it('rejects a forged signature with 401', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const real = signed(QueryZkProofDefinition, zk());
    const forged = signed(QueryZkProofDefinition, zk(), { signer: stranger });
    const headers = {
      ...real.headers,
      bt_header_dendrite_signature: forged.headers.bt_header_dendrite_signature!,
    };
    const res = await send(app, { ...real, headers });
    expect(res.status).toBe(401);
    const { message } = await json(res);
    expect(message).toMatch(/^Not Verified with error: Signature mismatch with \d+\./);
    expect(res.headers.get('bt_header_axon_status_code')).toBe('401');
    // Only answers to verified requests are signed: signing for unverified callers would be free work for floods.
    expect(res.headers.get('bt_header_axon_signature')).toBeNull();
  });

  it('rejects a request signed for another axon hotkey with 401', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const res = await send(app, signed(QueryZkProofDefinition, zk(), { axonHotkey: stranger.address }));
    expect(res.status).toBe(401);
    expect((await json(res)).message).toContain(`.${miner.address}.`);
  });

  it('rejects a replayed nonce with the SDK message', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const req = signed(QueryZkProofDefinition, zk());
    expect((await send(app, req)).status).toBe(200);
    const replay = await send(app, req);
    expect(replay.status).toBe(401);
    expect((await json(replay)).message).toBe(
      'Not Verified with error: Nonce is too old, a newer one was last processed',
    );
  });

  it('rejects a stale first nonce (older than 4 s + timeout)', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const res = await send(
      app,
      signed(QueryZkProofDefinition, zk(), { nonce: nowNs() - 20_000_000_000n, timeoutS: 12 }),
    );
    expect(res.status).toBe(401);
    expect((await json(res)).message).toMatch(
      /^Not Verified with error: Nonce is too old: acceptable delta is 16\.00 seconds but request was 20\.\d\d seconds old$/,
    );
  });

  it('accepts a first nonce inside the window and strictly increasing ones after it', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const t = nowNs() - 10_000_000_000n;
    expect((await send(app, signed(QueryZkProofDefinition, zk(), { nonce: t, uuid: 'same' }))).status).toBe(
      200,
    );
    expect(
      (await send(app, signed(QueryZkProofDefinition, zk(), { nonce: t + 1n, uuid: 'same' }))).status,
    ).toBe(200);
    expect(
      (await send(app, signed(QueryZkProofDefinition, zk(), { nonce: t + 1n, uuid: 'same' }))).status,
    ).toBe(401);
    expect((await send(app, signed(QueryZkProofDefinition, zk(), { nonce: t, uuid: 'other' }))).status).toBe(
      200,
    );
  });

  it('answers 401 with the hash mismatch when a hashed field changed after signing', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const req = signed(EchoDefinition, createSynapse(EchoDefinition, { text: 'hello', values: [1, 2] }));
    const ok = await send(app, req);
    expect(ok.status).toBe(200);
    expect((await json(ok)).reply).toBe('HELLO');
    const tampered = signed(EchoDefinition, createSynapse(EchoDefinition, { text: 'hello', values: [1, 2] }));
    const res = await send(app, { ...tampered, body: tampered.body.replace('"hello"', '"HELLO"') });
    expect(res.status).toBe(401);
    expect((await json(res)).message).toMatch(
      /^Hash mismatch between header body hash [0-9a-f]{64} and parsed body hash/,
    );
  });

  it.each([
    ['bt_header_dendrite_nonce', 'Not Verified with error: Missing Nonce'],
    ['bt_header_dendrite_signature', 'Not Verified with error: Missing signature'],
    ['bt_header_dendrite_hotkey', 'Not Verified with error: Missing dendrite hotkey or uuid'],
    ['bt_header_dendrite_uuid', 'Not Verified with error: Missing dendrite hotkey or uuid'],
  ])('answers 401 when %s is missing', async (header, message) => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const req = signed(QueryZkProofDefinition, zk());
    const { [header]: _dropped, ...headers } = req.headers;
    const res = await send(app, { ...req, headers });
    expect(res.status).toBe(401);
    expect((await json(res)).message).toBe(message);
  });

  it('answers 401 when computed_body_hash is missing (signature covers it)', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const { computed_body_hash: _h, ...headers } = signed(QueryZkProofDefinition, zk()).headers;
    const res = await send(app, { url: 'http://x/QueryZkProof', headers, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('blacklists before verifying, with the SDK status and message', async () => {
    const seen: string[] = [];
    const app = createTestAxonApp({
      hotkey: miner,
      synapses,
      blacklist: (r) => {
        seen.push(r.caller.hotkey);
        return { blocked: r.caller.hotkey !== validator.address, reason: 'not registered' };
      },
    });
    const res = await send(app, signed(QueryZkProofDefinition, zk(), { signer: stranger }));
    expect(res.status).toBe(403);
    expect((await json(res)).message).toBe('Forbidden. Key is blacklisted: not registered.');
    expect((await send(app, signed(QueryZkProofDefinition, zk()))).status).toBe(200);
    expect(seen).toEqual([stranger.address, validator.address]);
  });

  it('answers 404 for an unknown synapse and 400 for unparsable headers', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const unknown = await app.request('/Nope', { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).message).toBe(
      "Synapse name 'Nope' not found. Available synapses ['Synapse', 'QueryZkProof', 'QueryForCapacities', 'Echo']",
    );
    const req = signed(QueryZkProofDefinition, zk());
    const bad = await send(app, { ...req, headers: { ...req.headers, bt_header_dendrite_nonce: 'soon' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/^Improperly formatted request/);
  });

  it('answers 400 for bad JSON or wrong field types and 413 for oversized bodies', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const cases: [string, number][] = [
      ['{not json', 400],
      ['{"query_output": 5}', 400],
      ['{"query_input": {"model_id": {"x": 1}}}', 400],
      [`{"query_output": "${'a'.repeat(9 * 1024 * 1024)}"}`, 413],
    ];
    for (const [body, status] of cases) {
      const res = await send(app, { ...signed(QueryZkProofDefinition, zk()), body });
      expect(res.status).toBe(status);
      expect(typeof (await json(res)).message).toBe('string');
    }
  });

  it('tolerates unknown body fields, as pydantic ignores them', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses });
    const req = signed(QueryZkProofDefinition, zk());
    const body = JSON.stringify({ ...JSON.parse(req.body), extra_field: [1, 2, 3] });
    const res = await send(app, { ...req, body });
    expect(res.status).toBe(200);
    expect((await json(res)).extra_field).toBeUndefined();
  });

  it('turns a throwing handler into 500 "Internal Server Error #<id>" and reports it', async () => {
    const reported: string[] = [];
    const app = createTestAxonApp({ hotkey: miner, synapses, onError: (_e, id) => reported.push(id) });
    app.onError((_err, c) => c.text('boom', 500));
    const res = await send(
      app,
      signed(
        QueryZkProofDefinition,
        createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'throw' } }),
      ),
    );
    expect(res.status).toBe(500);
    expect((await json(res)).message).toBe(`Internal Server Error #${reported[0]}`);
  });

  it("answers a handler's error that has an HTTP status with that status and message, signed", async () => {
    const reported: string[] = [];
    const app = createTestAxonApp({ hotkey: miner, synapses, onError: (_e, id) => reported.push(id) });
    const res = await send(
      app,
      signed(
        QueryZkProofDefinition,
        createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'too-large' } }),
      ),
    );
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ message: 'the input is over what this handler takes' });
    expect(res.headers.get('bt_header_axon_status_code')).toBe('413');
    expect(res.headers.get(RESPONSE_SIGNATURE_HEADER)).toMatch(/^0x[0-9a-f]+$/);
    expect(reported).toEqual([]);
  });

  it('answers 408 when no handler slot frees up within the request timeout', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses, maxConcurrent: 1 }, 400);
    const slow = send(app, signed(QueryZkProofDefinition, zk()));
    const starved = await send(app, signed(QueryZkProofDefinition, zk(), { timeoutS: 0.05 }));
    expect(starved.status).toBe(408);
    expect((await json(starved)).message).toBe('Response timeout after: 0.05s');
    expect((await slow).status).toBe(200);
  });

  it('answers JSON even when no handler is attached for a served synapse', async () => {
    const app = createTestAxonApp({ hotkey: miner, synapses: [...synapses, createNoHandlerDef()] });
    const def = createNoHandlerDef();
    const res = await send(app, signed(def, createSynapse(def)));
    expect(res.status).toBe(404);
    expect((await json(res)).message).toBe('No handler for synapse Orphan');
  });
});

import { defineSynapse } from './synapse.js';

function createNoHandlerDef() {
  return defineSynapse('Orphan', {});
}
