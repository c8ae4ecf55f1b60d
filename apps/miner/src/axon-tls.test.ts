import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import {
  axonCertificateOf,
  createSynapse,
  Dendrite,
  QueryForCapacitiesDefinition,
  QueryZkProofDefinition,
} from '@omron/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAxonTls } from './axon-tls.js';
import { resolveConfig } from './config.js';
import { type RunningMiner, startMiner } from './miner.js';
import { captureLogger, createTestNet, minerConfig, type TestNet, verifyAnswer } from './test-support.js';

/** Writes a fresh self-signed certificate and key made by the openssl CLI; null when openssl is missing. */
function openssl(
  dir: string,
  name: string,
  keyType: 'ed25519' | 'rsa:2048',
): { cert: string; key: string } | null {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        keyType,
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { cert, key };
  } catch {
    return null;
  }
}

let dir: string;
let ed: { cert: string; key: string } | null;
let other: { cert: string; key: string } | null;
let rsa: { cert: string; key: string } | null;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-miner-tls-'));
  ed = openssl(dir, 'axon', 'ed25519');
  other = openssl(dir, 'other', 'ed25519');
  rsa = openssl(dir, 'rsa', 'rsa:2048');
  if (!ed || !other || !rsa) console.warn('openssl CLI not available: TLS miner tests skipped');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--axon.tls_cert / --axon.tls_key', () => {
  it('needs both files, an Ed25519 certificate and its own key (INVALID_CONFIG, no key material in messages)', async (ctx) => {
    if (!ed || !other || !rsa) return ctx.skip();
    expect(() => resolveConfig({ axon: { tls_cert: ed!.cert } })).toThrow(/tls_key: TLS needs both/);
    expect(await loadAxonTls({})).toBeNull();
    const loaded = await loadAxonTls({ tls_cert: ed.cert, tls_key: ed.key });
    expect(loaded?.announced).toEqual(axonCertificateOf(loaded!.cert));
    await expect(loadAxonTls({ tls_cert: rsa.cert, tls_key: rsa.key })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/rsa key; only Ed25519/),
    });
    const mismatch = await loadAxonTls({ tls_cert: ed.cert, tls_key: other.key }).catch((e: Error) => e);
    expect(mismatch).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/not the private key/),
    });
    expect((mismatch as Error).message).not.toMatch(/PRIVATE KEY/);
    await writeFile(join(dir, 'junk.pem'), 'junk');
    await expect(loadAxonTls({ tls_cert: join(dir, 'junk.pem'), tls_key: ed.key })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
    await expect(loadAxonTls({ tls_cert: join(dir, 'absent.pem'), tls_key: ed.key })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });

  describe('a miner serving HTTPS', () => {
    let net: TestNet;
    let miner: RunningMiner | undefined;
    beforeAll(async () => {
      if (!ed) return;
      net = await createTestNet();
      miner = await startMiner(
        minerConfig(net, 'miner-tls', { axon: { port: 0, tls_cert: ed.cert, tls_key: ed.key } }),
        { logger: captureLogger().logger, store: net.prover },
      );
    }, 120_000);
    afterAll(async () => {
      await miner?.close();
    });

    it('announces its key with serve_axon_tls and answers validators that pin it, signed', async (ctx) => {
      if (!miner || !ed || !other) return ctx.skip();
      expect(miner.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const chain = await LocalChain.open({ dir: join(net.dir, 'localnet') });
      const neuron = (await chain.metagraph(2)).neurons[miner.uid];
      await chain.close();
      const { readFileSync } = await import('node:fs');
      expect(neuron?.certificate).toEqual(axonCertificateOf(readFileSync(ed.cert, 'utf8')));
      const target = {
        ip: '127.0.0.1',
        port: miner.port,
        hotkey: miner.hotkey,
        certificate: neuron!.certificate,
      };
      const dendrite = new Dendrite(net.validator);
      const inputs = net.circuit.generateInput();
      const zk = await dendrite.call(
        target,
        createSynapse(QueryZkProofDefinition, {
          query_input: { model_id: net.circuit.id, public_inputs: inputs },
        }),
        { timeoutS: 30 },
      );
      expect([zk.statusCode, zk.responseSignature, zk.isSuccess]).toEqual([200, 'valid', true]);
      expect(await verifyAnswer(net, zk.synapse.query_output, inputs)).toBe(true);
      // SDK validators speak plain HTTP: the same port still answers them (unless --axon.tls_only).
      const plain = await dendrite.call(
        { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey },
        createSynapse(QueryForCapacitiesDefinition),
        { timeoutS: 5 },
      );
      expect([plain.statusCode, plain.responseSignature]).toEqual([200, 'valid']);
      // Someone else's certificate on the path: refused before a request is sent.
      const impostor = axonCertificateOf(readFileSync(other.cert, 'utf8'));
      const refused = await dendrite.call(
        { ...target, certificate: impostor },
        createSynapse(QueryForCapacitiesDefinition),
        {
          timeoutS: 5,
        },
      );
      expect([refused.statusCode, refused.isSuccess]).toEqual([526, false]);
    }, 60_000);
  });
});
