import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dendrite } from './dendrite.js';
import { createSynapse } from './synapse.js';
import { QueryForCapacitiesDefinition, QueryZkProofDefinition } from './synapses.js';
import { createTestAxonApp, EchoDefinition } from './test-support.js';
import { createDevelopmentWallet, loadWallet, type Wallet } from './wallet/wallet.js';

/**
 * Cross-implementation tests against the real Python SDK (bittensor 10.2.0 + bittensor-wallet).
 * Opt-in: set OMRON_BT_PYTHON to a Python that has `bittensor` installed, e.g.
 *   python3 -m venv /tmp/bt && /tmp/bt/bin/pip install bittensor==10.2.0 'async-substrate-interface<2'
 *   OMRON_BT_PYTHON=/tmp/bt/bin/python pnpm --filter @omron/protocol test
 */
const PYTHON = process.env.OMRON_BT_PYTHON;
const PEER = fileURLToPath(new URL('../interop/peer.py', import.meta.url));
const run = promisify(execFile);

async function peer<T>(...args: string[]): Promise<T> {
  const { stdout } = await run(PYTHON!, [PEER, ...args], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

interface PyResult {
  status_code: number | null;
  status_message: string | null;
  is_success: boolean;
  axon_signature: string | null;
  fields: Record<string, unknown>;
}

describe.skipIf(!PYTHON)('interop with the Python Bittensor SDK', () => {
  let dir: string;
  let validator: Wallet;
  let miner: Wallet;
  let stranger: Wallet;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omron-interop-'));
    validator = await createDevelopmentWallet({ path: dir, name: 'validator', hotkey: 'default' });
    miner = await createDevelopmentWallet({ path: dir, name: 'miner', hotkey: 'default' });
    stranger = await createDevelopmentWallet({ path: dir, name: 'stranger', hotkey: 'default' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('btwallet loads our development wallet with the same addresses', async () => {
    const py = await peer<{ hotkey: string; coldkeypub: string }>('wallet', dir, 'validator', 'default');
    expect(py).toEqual({ hotkey: validator.hotkey.address, coldkeypub: validator.coldkeyAddress });
  }, 60_000);

  it('we unlock a $NACL hotkey that btwallet encrypted', async () => {
    const mnemonic = 'stool feel open east woman high can denial forget screen trust salt';
    const py = await peer<{ hotkey: string }>(
      'encrypted-hotkey',
      dir,
      'sealed',
      'default',
      mnemonic,
      'pw-interop',
    );
    const wallet = await loadWallet({ path: dir, name: 'sealed', password: 'pw-interop', env: {} });
    expect(wallet.hotkey.address).toBe(py.hotkey);
  }, 120_000);

  describe('our dendrite → Python axon', () => {
    let axonProcess: ChildProcess;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      axonProcess = spawn(
        PYTHON!,
        [PEER, 'axon', dir, 'miner', 'default', String(port), stranger.hotkey.address],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      const [line] = (await once(axonProcess.stdout!, 'data')) as [Buffer];
      expect(JSON.parse(line.toString()).port).toBe(port);
    }, 60_000);
    afterAll(async () => {
      axonProcess.stdin!.end();
      const exited = once(axonProcess, 'exit');
      const timer = setTimeout(() => axonProcess.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    });

    const target = () => ({ ip: '127.0.0.1', port, hotkey: miner.hotkey.address });

    it('gets QueryZkProof and QueryForCapacities answers (signed request fields, unsigned SDK answers)', async () => {
      // The SDK's axon does not sign its answers: accepted only when the dendrite is told so.
      const dendrite = new Dendrite(validator, { requireSignedResponses: false });
      const zk = await dendrite.call(
        target(),
        createSynapse(QueryZkProofDefinition, {
          query_input: { model_id: 'm', public_inputs: { a: [1, 2.5] } },
        }),
        { timeoutS: 10 },
      );
      expect([zk.statusCode, zk.statusMessage, zk.isSuccess]).toEqual([200, 'Success', true]);
      expect(zk.responseSignature).not.toBe('valid');
      expect(JSON.parse(zk.synapse.query_output!)).toEqual({
        echo: { model_id: 'm', public_inputs: { a: [1, 2.5] } },
        caller: validator.hotkey.address,
      });
      const cap = await dendrite.call(target(), createSynapse(QueryForCapacitiesDefinition), {
        timeoutS: 10,
      });
      expect(cap.synapse.capacities).toEqual({ lstm: 400 });
      const strict = await new Dendrite(validator).call(
        target(),
        createSynapse(QueryForCapacitiesDefinition),
        {
          timeoutS: 10,
        },
      );
      expect([strict.statusCode, strict.isSuccess]).toEqual([200, false]);
    });

    it('matches the Python body hash for required, hashed float fields', async () => {
      const res = await new Dendrite(validator, {
        synapses: [EchoDefinition],
        requireSignedResponses: false,
      }).call(target(), createSynapse(EchoDefinition, { text: 'hé "x"', values: [1, 2.5, 1e16] }), {
        timeoutS: 10,
      });
      expect([res.statusCode, res.synapse.reply]).toEqual([200, 'HÉ "X"']);
    });

    it('sees the Python axon refuse a blacklisted caller (403) and a wrong target hotkey (401)', async () => {
      const blocked = await new Dendrite(stranger).call(target(), createSynapse(QueryZkProofDefinition), {
        timeoutS: 10,
      });
      expect([blocked.statusCode, blocked.statusMessage]).toEqual([
        403,
        'Forbidden. Key is blacklisted: test blacklist.',
      ]);
      const wrong = await new Dendrite(validator).call(
        { ...target(), hotkey: stranger.hotkey.address },
        createSynapse(QueryZkProofDefinition),
        { timeoutS: 10 },
      );
      expect(wrong.statusCode).toBe(401);
      expect(wrong.statusMessage).toMatch(/^Not Verified with error: Signature mismatch/);
    });
  });

  describe('Python dendrite → our axon', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      const app = createTestAxonApp({
        hotkey: miner.hotkey,
        synapses: [QueryZkProofDefinition, QueryForCapacitiesDefinition, EchoDefinition],
        blacklist: (r) => ({
          blocked: r.caller.hotkey === stranger.hotkey.address,
          reason: 'test blacklist',
        }),
      });
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      if (!server.listening) await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('answers every synapse the way the Python dendrite decodes', async () => {
      const call = (synapse: string, fields: object, hotkey = miner.hotkey.address) => ({
        ip: '127.0.0.1',
        port,
        hotkey,
        synapse,
        fields,
      });
      const calls = [
        call('QueryZkProof', { query_input: { model_id: 'm', public_inputs: { a: [1, 2.5] } } }),
        call('QueryForCapacities', {}),
        call('Echo', { text: 'hé "x"', values: [1, 2.5, 1e16] }),
        call('QueryZkProof', {}, stranger.hotkey.address),
      ];
      const [zk, cap, echo, wrong] = await peer<PyResult[]>(
        'dendrite',
        dir,
        'validator',
        'default',
        JSON.stringify(calls),
      );
      expect(zk).toMatchObject({ status_code: 200, status_message: 'Success', is_success: true });
      expect(zk!.fields.query_output).toBe(`seen by ${validator.hotkey.address}`);
      // Our answer's signature travels in a header the SDK already parses into synapse.axon.signature.
      expect(zk!.axon_signature).toMatch(/^0x[0-9a-f]{128}$/);
      expect(cap!.fields.capacities).toEqual({ lstm: 400 });
      expect(echo).toMatchObject({ status_code: 200, fields: { reply: 'HÉ "X"' } });
      expect(wrong).toMatchObject({ status_code: 401, is_success: false });
      expect(wrong!.status_message).toMatch(/^Not Verified with error: Signature mismatch/);
      const [blocked] = await peer<PyResult[]>(
        'dendrite',
        dir,
        'stranger',
        'default',
        JSON.stringify([call('QueryZkProof', {})]),
      );
      expect(blocked).toMatchObject({
        status_code: 403,
        status_message: 'Forbidden. Key is blacklisted: test blacklist.',
      });
    }, 120_000);

    it('refuses a Python request whose body was changed after signing, and the unhashed published class', async () => {
      // A man in the middle on loopback: same headers, other public_inputs.
      const proxy = createHttpServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks)
          .toString('utf8')
          .replace('"public_inputs": {"a": [1, 2.5]}', '"public_inputs": {"a": [6, 6.5]}');
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== 'content-length' && k !== 'host'),
        ) as Record<string, string>;
        const forwarded = await fetch(`http://127.0.0.1:${port}${req.url}`, {
          method: 'POST',
          headers,
          body,
        });
        tampered.push(body.includes('[6, 6.5]'));
        res.writeHead(forwarded.status, Object.fromEntries(forwarded.headers.entries()));
        res.end(await forwarded.text());
      });
      const tampered: boolean[] = [];
      proxy.listen(0, '127.0.0.1');
      await once(proxy, 'listening');
      const proxyPort = (proxy.address() as AddressInfo).port;
      try {
        const zkFields = { query_input: { model_id: 'm', public_inputs: { a: [1, 2.5] } } };
        const [changed, legacy] = await peer<PyResult[]>(
          'dendrite',
          dir,
          'validator',
          'default',
          JSON.stringify([
            {
              ip: '127.0.0.1',
              port: proxyPort,
              hotkey: miner.hotkey.address,
              synapse: 'QueryZkProof',
              fields: zkFields,
            },
            {
              ip: '127.0.0.1',
              port,
              hotkey: miner.hotkey.address,
              synapse: 'QueryZkProof',
              fields: zkFields,
              legacy: true,
            },
          ]),
        );
        expect(tampered).toEqual([true]);
        expect(changed).toMatchObject({ status_code: 401, is_success: false });
        expect(changed!.status_message).toMatch(/^Hash mismatch/);
        // Omron's published class signs sha3(""): its inputs could be swapped, so it is refused too.
        expect(legacy).toMatchObject({ status_code: 401, is_success: false });
      } finally {
        proxy.closeAllConnections();
        await new Promise((r) => proxy.close(r));
      }
    }, 120_000);
  });
});
