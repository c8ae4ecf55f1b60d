import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LocalChain } from '@omron/chain';
import { bindProof, type Circuit, CircuitStore, splitByShapes } from '@omron/circuits';
import {
  buildSignedRequest,
  createDevelopmentWallet,
  createSynapse,
  decodeProofPayload,
  nowNs,
  PROTOCOL_VERSION,
  QueryZkProofDefinition,
  type Wallet,
} from '@omron/protocol';
import { type Logger, pino } from 'pino';

/** The smallest test model: keeps real proofs quick on 2 cores. */
export const TEST_CIRCUIT = 'cnn';

/** A local network with a registered validator, shared prover/verifier stores, and a log sink. */
export interface TestNet {
  dir: string;
  cacheDir: string;
  validator: Wallet;
  prover: CircuitStore;
  verifier: CircuitStore;
  circuit: Circuit;
}

export async function createTestNet(circuitName = TEST_CIRCUIT): Promise<TestNet> {
  const dir = await mkdtemp(join(tmpdir(), 'omron-miner-'));
  const cacheDir = join(dir, 'cache');
  const chain = await LocalChain.open({ dir: join(dir, 'localnet'), blockTimeMs: 1000 });
  const validator = await createDevelopmentWallet({
    path: join(dir, 'localnet', 'wallets'),
    name: 'validator',
    hotkey: 'default',
  });
  await chain.register(2, validator, { role: 'validator' });
  await chain.close();
  const prover = await CircuitStore.open({ role: 'prover', cacheDir, circuits: [circuitName] });
  const verifier = await CircuitStore.open({ role: 'verifier', cacheDir, circuits: [circuitName] });
  return { dir, cacheDir, validator, prover, verifier, circuit: prover.list()[0]! };
}

/** Miner config for the test network (any free port, loopback). */
export function minerConfig(net: TestNet, name: string, extra: Record<string, unknown> = {}) {
  return {
    wallet: { name },
    axon: { port: 0 },
    localnet: { dir: join(net.dir, 'localnet'), block_time_ms: 1000 },
    cache: { dir: net.cacheDir },
    circuits: [net.circuit.name],
    ...extra,
  };
}

/** A pino logger whose JSON lines land in `lines`. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

/** Verifies a miner's answer as a validator does: payload, input binding, then the proof. */
export async function verifyAnswer(
  net: TestNet,
  queryOutput: string | null,
  inputs: number[][],
): Promise<boolean> {
  const payload = decodeProofPayload(queryOutput);
  if (payload.format_version !== 1) return false; // chains are checked by the validator's chain binding
  const verifier = net.verifier.verifier(payload.model_id);
  const expected = verifier.expectedPublicInputs(inputs);
  const bound = bindProof(expected, { proof: payload.proof, publicSignals: payload.public_signals });
  if (!bound.ok) return false;
  const outputs = splitByShapes(bound.outputs, verifier.circuit.settings.output_shapes);
  return outputs !== null && verifier.verify(bound.proof, { inputs: expected, outputs });
}

/** A correctly signed raw request, for tests that then break one part of it. */
export function signedRequest(
  wallet: Wallet,
  miner: { port: number; hotkey: string },
  queryInput: unknown,
  timeoutS = 30,
) {
  return buildSignedRequest({
    definition: QueryZkProofDefinition,
    synapse: createSynapse(QueryZkProofDefinition, { query_input: queryInput as never }),
    signer: wallet.hotkey,
    target: { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey },
    nonce: nowNs(),
    uuid: crypto.randomUUID(),
    version: PROTOCOL_VERSION,
    externalIp: '127.0.0.1',
    timeoutS,
  });
}
