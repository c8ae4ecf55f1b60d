import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axonCertificateOf,
  ED25519_CERTIFICATE_ALGORITHM,
  encodeAxonCertificate,
} from './axon-certificate.js';
import { Dendrite } from './dendrite.js';
import { createSynapse } from './synapse.js';
import { QueryZkProofDefinition } from './synapses.js';
import {
  createTestAxonApp,
  MINER_MNEMONIC,
  selfSignedEd25519,
  testPair,
  VALIDATOR_MNEMONIC,
} from './test-support.js';

const real = selfSignedEd25519();
const impostor = selfSignedEd25519('impostor');
const skip = 'skip' in real ? real.skip : 'skip' in impostor ? impostor.skip : undefined;
if (skip) console.warn(`TLS tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('axon over TLS, pinned to the key announced on chain', () => {
  let validator: KeyringPair;
  let miner: KeyringPair;
  let server: Server;
  let port: number;
  const pem = real as { cert: string; key: string };

  beforeAll(async () => {
    validator = await testPair(VALIDATOR_MNEMONIC);
    miner = await testPair(MINER_MNEMONIC);
    server = serve({
      fetch: createTestAxonApp({ hotkey: miner }).fetch,
      port: 0,
      hostname: '127.0.0.1',
      createServer: createHttpsServer,
      serverOptions: { cert: pem.cert, key: pem.key },
    }) as unknown as Server;
    if (!server.listening) await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const zk = () =>
    createSynapse(QueryZkProofDefinition, { query_input: { model_id: 'm', public_inputs: [[1]] } });

  it('reads the Ed25519 key of a certificate as serve_axon_tls announces it', () => {
    const announced = axonCertificateOf(pem.cert);
    expect(announced.algorithm).toBe(ED25519_CERTIFICATE_ALGORITHM);
    expect(announced.publicKey).toMatch(/^0x[0-9a-f]{64}$/);
    const bytes = encodeAxonCertificate(announced);
    expect(bytes.length).toBe(33);
    expect(bytes[0]).toBe(1);
    expect(axonCertificateOf((impostor as { cert: string }).cert).publicKey).not.toBe(announced.publicKey);
  });

  it('refuses certificates whose key cannot be announced', () => {
    expect(() => axonCertificateOf('not a certificate')).toThrow(
      expect.objectContaining({ code: 'TLS_CERTIFICATE_UNSUPPORTED' }),
    );
  });

  it('answers over HTTPS when the certificate carries the announced key', async () => {
    const target = { ip: '127.0.0.1', port, hotkey: miner.address, certificate: axonCertificateOf(pem.cert) };
    const res = await new Dendrite(validator).call(target, zk(), { timeoutS: 5 });
    expect([res.statusCode, res.responseSignature, res.isSuccess]).toEqual([200, 'valid', true]);
    expect(res.synapse.query_output).toBe(`seen by ${validator.address}`);
  });

  it('refuses a server whose certificate carries another key (526), before sending anything', async () => {
    const target = {
      ip: '127.0.0.1',
      port,
      hotkey: miner.address,
      certificate: axonCertificateOf((impostor as { cert: string }).cert),
    };
    const res = await new Dendrite(validator).call(target, zk(), { timeoutS: 5 });
    expect(res.statusCode).toBe(526);
    expect(res.statusMessage).toMatch(/does not carry the key announced on chain/);
    expect([res.responseSignature, res.isSuccess]).toEqual([null, false]);
  });

  it('gets no answer from the TLS axon over plain HTTP (no certificate announced)', async () => {
    const res = await new Dendrite(validator).call({ ip: '127.0.0.1', port, hotkey: miner.address }, zk(), {
      timeoutS: 5,
    });
    expect(res.isSuccess).toBe(false);
  });
});
