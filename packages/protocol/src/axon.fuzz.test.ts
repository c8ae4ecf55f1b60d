import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowNs } from './nonce.js';
import { buildSignedRequest } from './request.js';
import { createSynapse, type SynapseDefinition } from './synapse.js';
import { QueryForCapacitiesDefinition, QueryZkProofDefinition } from './synapses.js';
import {
  createTestAxonApp,
  EchoDefinition,
  MINER_MNEMONIC,
  testPair,
  VALIDATOR_MNEMONIC,
} from './test-support.js';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its index. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUESTS = 1200;
let validator: KeyringPair;
let miner: KeyringPair;
let server: Server;
let base: string;

beforeAll(async () => {
  validator = await testPair(VALIDATOR_MNEMONIC);
  miner = await testPair(MINER_MNEMONIC);
  const synapses = [
    QueryZkProofDefinition,
    QueryForCapacitiesDefinition,
    EchoDefinition,
  ] as SynapseDefinition[];
  const app = createTestAxonApp({ hotkey: miner, synapses });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  if (!server.listening) await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

// Headers the signature depends on. The others (ip, version, sizes, name, axon_*) are informational
// in the SDK too, so changing them leaves a valid request.
const SIGNED_HEADERS = [
  'bt_header_dendrite_nonce',
  'bt_header_dendrite_uuid',
  'bt_header_dendrite_hotkey',
  'bt_header_dendrite_signature',
  'computed_body_hash',
];

type Case = { path: string; headers: Record<string, string>; body: string | Uint8Array; label: string };

function makeCase(rand: () => number, i: number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('');
  const signed = buildSignedRequest({
    definition: QueryZkProofDefinition,
    synapse: createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'm' } }),
    signer: validator,
    target: { ip: '127.0.0.1', port: 1, hotkey: miner.address },
    nonce: nowNs() - BigInt(Math.floor(rand() * 1e9)),
    uuid: `fuzz-${i}`,
    version: 10_002_000,
    externalIp: '127.0.0.1',
    timeoutS: 12,
  });
  const headers = { ...signed.headers };
  const kind = pick([
    'bad-json',
    'wrong-types',
    'drop-header',
    'mangle-header',
    'random-path',
    'random-bytes',
    'deep-json',
    'huge',
    'unsigned',
  ] as const);
  switch (kind) {
    case 'bad-json':
      return {
        path: '/QueryZkProof',
        headers,
        body: signed.body.slice(0, Math.floor(rand() * signed.body.length)) + junk(5),
        label: kind,
      };
    case 'wrong-types': {
      const invalid: Record<string, unknown[]> = {
        query_input: [5, true, [1], 'text'],
        query_output: [5, false, [1], { a: 1 }],
        timeout: [true, [1], { a: 1 }, 'soon'],
        dendrite: [5, 'x', [1]],
        total_size: ['many', 1.5, { a: 1 }],
      };
      const field = pick(Object.keys(invalid));
      const body = JSON.stringify({ ...JSON.parse(signed.body), [field]: pick(invalid[field]!) });
      return { path: '/QueryZkProof', headers, body, label: `${kind}:${field}` };
    }
    case 'drop-header': {
      const name = pick(SIGNED_HEADERS);
      delete headers[name];
      return { path: '/QueryZkProof', headers, body: signed.body, label: `${kind}:${name}` };
    }
    case 'mangle-header': {
      const name = pick(SIGNED_HEADERS);
      headers[name] = junk(1 + Math.floor(rand() * 40));
      return { path: '/QueryZkProof', headers, body: signed.body, label: `${kind}:${name}` };
    }
    case 'random-path':
      return {
        path: `/${encodeURIComponent(junk(1 + Math.floor(rand() * 20)))}`,
        headers,
        body: signed.body,
        label: kind,
      };
    case 'random-bytes':
      return {
        path: '/QueryZkProof',
        headers,
        body: Uint8Array.from({ length: Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)),
        label: kind,
      };
    case 'deep-json':
      return { path: '/QueryZkProof', headers, body: '['.repeat(50_000), label: kind };
    case 'huge':
      // Only a few really huge ones (9 MiB each on the wire); the rest are tiny junk bodies.
      return i % 60 === 0
        ? {
            path: '/QueryZkProof',
            headers,
            body: `{"query_output":"${'a'.repeat(9 * 1024 * 1024)}"}`,
            label: kind,
          }
        : { path: '/QueryZkProof', headers, body: junk(3), label: 'tiny' };
    case 'unsigned': {
      const { bt_header_dendrite_signature: _s, ...rest } = headers;
      return {
        path: pick(['/QueryZkProof', '/QueryForCapacities', '/Echo', '/Synapse']),
        headers: rest,
        body: junk(30),
        label: kind,
      };
    }
  }
}

describe('axon fuzz (loopback HTTP)', () => {
  it(`answers ${REQUESTS} malformed requests with 4xx JSON and keeps serving`, async () => {
    const rand = prng(0x5eed);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i += 8) {
      const batch = Array.from({ length: Math.min(8, REQUESTS - i) }, (_, j) => makeCase(rand, i + j));
      await Promise.all(
        batch.map(async (c, j) => {
          let status: number;
          let message: unknown;
          try {
            const res = await fetch(base + c.path, {
              method: 'POST',
              headers: c.headers,
              body: c.body,
              signal: AbortSignal.timeout(10_000),
            });
            status = res.status;
            message = ((await res.json().catch(() => ({}))) as { message?: unknown }).message;
          } catch (err) {
            failures.push(`#${i + j} ${c.label}: transport error ${(err as Error).message}`);
            return;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status < 400 || status >= 500 || typeof message !== 'string') {
            failures.push(`#${i + j} ${c.label}: status ${status} message ${String(message)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 404]));
    // Still healthy: a well-formed request succeeds after the storm.
    const ok = buildSignedRequest({
      definition: QueryZkProofDefinition,
      synapse: createSynapse(QueryZkProofDefinition),
      signer: validator,
      target: { ip: '127.0.0.1', port: 1, hotkey: miner.address },
      nonce: nowNs(),
      uuid: 'after-fuzz',
      version: 10_002_000,
      externalIp: '127.0.0.1',
      timeoutS: 12,
    });
    const res = await fetch(`${base}/QueryZkProof`, { method: 'POST', headers: ok.headers, body: ok.body });
    expect(res.status).toBe(200);
  }, 120_000);
});
