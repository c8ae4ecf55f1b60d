import { bench, describe } from 'vitest';
import { computeBodyHash } from './body-hash.js';
import { nowNs } from './nonce.js';
import { buildSignedRequest } from './request.js';
import { createSynapse } from './synapse.js';
import { QueryZkProofDefinition } from './synapses.js';
import { createTestAxonApp, MINER_MNEMONIC, testPair, VALIDATOR_MNEMONIC } from './test-support.js';

const validator = await testPair(VALIDATOR_MNEMONIC);
const miner = await testPair(MINER_MNEMONIC);
const app = createTestAxonApp({ hotkey: miner });
const synapse = createSynapse(QueryZkProofDefinition, {
  query_input: {
    model_id: 'a'.repeat(64),
    public_inputs: { x: Array.from({ length: 64 }, (_, i) => i / 7) },
  },
});
let uuid = 0;
const request = () =>
  buildSignedRequest({
    definition: QueryZkProofDefinition,
    synapse,
    signer: validator,
    target: { ip: '127.0.0.1', port: 8091, hotkey: miner.address },
    nonce: nowNs(),
    uuid: `bench-${uuid++}`,
    version: 10_002_000,
    externalIp: '127.0.0.1',
    timeoutS: 12,
  });
const bigDict = { values: Array.from({ length: 10_000 }, (_, i) => i * 0.5), meta: { k: 'v' } };

describe('protocol', () => {
  bench('dendrite: build and sign a QueryZkProof request', () => {
    request();
  });
  bench('axon: verify and answer a QueryZkProof request (in-process)', async () => {
    const req = request();
    const res = await app.request('/QueryZkProof', { method: 'POST', headers: req.headers, body: req.body });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  });
  bench('body hash of a 10k-float dict field', () => {
    computeBodyHash(['x'], () => bigDict);
  });
});
