import { u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFromJson, encodeCertificate } from '../certificate.js';
import { HAVE_FIXTURES, replayChain, SKIP_REASON } from '../test-support/fixtures.js';
import { readCertificates, serveAxonTlsTx } from './serve-tls.js';
import type { SubtensorChain } from './subtensor-chain.js';

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

const KEY = `0x${'ab'.repeat(32)}` as const;

describe('certificate keys as the chain stores them', () => {
  it('encodes the algorithm byte then the key, and refuses keys the chain would not take', () => {
    expect(u8aToHex(encodeCertificate({ algorithm: 1, publicKey: KEY }))).toBe(`0x01${'ab'.repeat(32)}`);
    expect(() => encodeCertificate({ algorithm: 1, publicKey: `0x${'00'.repeat(65)}` })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => encodeCertificate({ algorithm: 256, publicKey: KEY })).toThrow(/byte/);
    expect(certificateFromJson({ publicKey: KEY.toUpperCase().replace('0X', '0x'), algorithm: 1 })).toEqual({
      algorithm: 1,
      publicKey: KEY,
    });
    expect(certificateFromJson(null)).toBeUndefined();
  });
});

describe.skipIf(!HAVE_FIXTURES)('serve_axon_tls against the recorded finney metadata', () => {
  let chain: SubtensorChain;
  beforeAll(async () => {
    chain = (await replayChain(['metagraph'])).chain;
  });
  afterAll(async () => {
    await chain.close();
  });

  it('builds call 40 with the endpoint and the certificate bytes, and decodes it back', () => {
    const tx = serveAxonTlsTx(chain.api, 2, {
      ip: '203.0.113.9',
      port: 8443,
      version: 11002,
      certificate: { algorithm: 1, publicKey: KEY },
    });
    expect(Array.from(tx.method.callIndex)).toEqual([7, 40]);
    const call = chain.api.createType('Call', tx.method.toHex());
    expect(call.method).toBe('serveAxonTls');
    const [netuid, version, ip, port, ipType, protocol, p1, p2, certificate] = call.args.map((a) =>
      a.toJSON(),
    );
    expect({ netuid, version, ip, port, ipType, protocol, p1, p2 }).toEqual({
      netuid: 2,
      version: 11002,
      ip: 203 * 2 ** 24 + 113 * 2 ** 8 + 9,
      port: 8443,
      ipType: 4,
      protocol: 4,
      p1: 0,
      p2: 0,
    });
    expect(certificate).toBe(`0x01${'ab'.repeat(32)}`);
    expect(() =>
      serveAxonTlsTx(chain.api, 2, {
        ip: '127.0.0.1',
        port: 1,
        certificate: { algorithm: 1, publicKey: KEY },
      }),
    ).toThrow(/loopback/);
  });

  it('decodes NeuronCertificates values and reads them by subnet', async () => {
    const value = chain.api.createType('PalletSubtensorNeuronCertificate', {
      publicKey: KEY,
      algorithm: 1,
    });
    expect(certificateFromJson(value.toJSON())).toEqual({ algorithm: 1, publicKey: KEY });
    // The recording holds no certificate for netuid 1: the paged read answers an empty map.
    expect((await readCertificates(chain.api, 1)).size).toBe(0);
  });
});
