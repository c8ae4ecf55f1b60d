import { signatureVerify } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSignedRequest } from './request.js';
import { createSynapse } from './synapse.js';
import { QueryZkProofDefinition } from './synapses.js';
import { EchoDefinition, MINER_MNEMONIC, testPair, VALIDATOR_MNEMONIC } from './test-support.js';

const NONCE = 1736000000123456789n;
const UUID = '5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a';
const VALIDATOR_SS58 = '5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX';

let validator: Awaited<ReturnType<typeof testPair>>;
let miner: Awaited<ReturnType<typeof testPair>>;
beforeAll(async () => {
  validator = await testPair(VALIDATOR_MNEMONIC);
  miner = await testPair(MINER_MNEMONIC);
});

function build<T extends Parameters<typeof buildSignedRequest>[0]['synapse']>(
  definition: Parameters<typeof buildSignedRequest<T>>[0]['definition'],
  synapse: T,
) {
  return buildSignedRequest({
    definition,
    synapse,
    signer: validator,
    target: { ip: '10.0.0.2', port: 8091, hotkey: miner.address },
    nonce: NONCE,
    uuid: UUID,
    version: 10_002_000,
    externalIp: '10.0.0.1',
    timeoutS: 12,
  });
}

describe('buildSignedRequest (QueryZkProof vector)', () => {
  it('produces the SDK header set, in to_headers() order, with a verifiable signature', () => {
    expect(validator.address).toBe(VALIDATOR_SS58);
    const synapse = createSynapse(QueryZkProofDefinition, {
      query_input: { model_id: 'abc', public_inputs: { x: [1] } },
    });
    const req = build(QueryZkProofDefinition, synapse);
    const signature = req.headers.bt_header_dendrite_signature!;
    expect(signature).toMatch(/^0x[0-9a-f]{128}$/);
    // CPython: sha3(sha3(str(query_input)) + sha3(str(12.0))), the hash of required_hash_fields
    // ("query_input", "timeout"); str(query_input) == "{'model_id': 'abc', 'public_inputs': {'x': [1]}}".
    const bodyHash = '74ad9d65eca1ba1145a70568969fb846770a56899614edbd5b3751eee567ee11';
    expect(Object.entries(req.headers)).toEqual([
      ['name', 'QueryZkProof'],
      ['timeout', '12.0'],
      ['bt_header_axon_ip', '10.0.0.2'],
      ['bt_header_axon_port', '8091'],
      ['bt_header_axon_hotkey', miner.address],
      ['bt_header_dendrite_ip', '10.0.0.1'],
      ['bt_header_dendrite_version', '10002000'],
      ['bt_header_dendrite_nonce', '1736000000123456789'],
      ['bt_header_dendrite_uuid', UUID],
      ['bt_header_dendrite_hotkey', VALIDATOR_SS58],
      ['bt_header_dendrite_signature', signature],
      ['header_size', expect.stringMatching(/^\d+$/)],
      ['total_size', String(Buffer.byteLength(req.body))],
      ['computed_body_hash', bodyHash],
      ['content-type', 'application/json'],
    ]);
    const message = `1736000000123456789.${VALIDATOR_SS58}.${miner.address}.${UUID}.${bodyHash}`;
    const verdict = signatureVerify(message, signature, VALIDATOR_SS58);
    expect(verdict.isValid).toBe(true);
    expect(verdict.crypto).toBe('sr25519');
    expect(signatureVerify(message.replace('.74ad', '.84ad'), signature, VALIDATOR_SS58).isValid).toBe(false);
    expect(req.url).toBe('http://10.0.0.2:8091/QueryZkProof');
  });

  it('sends every model_dump() field, the nonce as a bare 19-digit integer and computed_body_hash ""', () => {
    const req = build(QueryZkProofDefinition, createSynapse(QueryZkProofDefinition));
    expect(req.body).toContain('"nonce":1736000000123456789');
    const body = JSON.parse(req.body);
    expect(Object.keys(body)).toEqual([
      'name',
      'timeout',
      'total_size',
      'header_size',
      'dendrite',
      'axon',
      'computed_body_hash',
      'query_input',
      'query_output',
    ]);
    expect(body.computed_body_hash).toBe('');
    expect(body.query_output).toBeNull();
    expect(Object.keys(body.dendrite)).toEqual([
      'status_code',
      'status_message',
      'process_time',
      'ip',
      'port',
      'version',
      'nonce',
      'uuid',
      'hotkey',
      'signature',
    ]);
    expect(body.axon).toMatchObject({ ip: '10.0.0.2', port: 8091, hotkey: miner.address, status_code: null });
  });

  it('brackets IPv6 targets in the URL', () => {
    const req = buildSignedRequest({
      definition: QueryZkProofDefinition,
      synapse: createSynapse(QueryZkProofDefinition),
      signer: validator,
      target: { ip: '2001:db8::1', port: 9000, hotkey: miner.address },
      nonce: NONCE,
      uuid: UUID,
      version: 10_002_000,
      externalIp: '10.0.0.1',
      timeoutS: 60,
    });
    expect(req.url).toBe('http://[2001:db8::1]:9000/QueryZkProof');
    expect(req.headers.timeout).toBe('60.0');
  });
});

describe('buildSignedRequest (required and hashed fields)', () => {
  it('adds bt_header_input_obj_* dummies and hashes fields with Python str() (CPython digest)', () => {
    const req = build(EchoDefinition, createSynapse(EchoDefinition, { text: 'hello', values: [1, 2.5] }));
    expect(req.headers.bt_header_input_obj_text).toBe('IiI=');
    expect(req.headers.bt_header_input_obj_values).toBe('W10=');
    expect(req.headers.bt_header_input_obj_reply).toBeUndefined();
    // python: sha3(sha3(str('hello')) + sha3(str([1.0, 2.5]))) with `values: list[float]`
    expect(req.bodyHash).toBe('ecb592f27ba8457995be0afda62487bf01b3f9f6dc2a07b40408521e391a644d');
    // ...and not the digest of `str([1, 2.5])`, which an untyped field would give.
    expect(req.bodyHash).not.toBe('120ccadbf71cbcfe05418d685cd0ab9c13ef9b26b41f39d07d7633c26814efaa');
    expect(req.headers.computed_body_hash).toBe(req.bodyHash);
    const message = `${NONCE}.${VALIDATOR_SS58}.${miner.address}.${UUID}.${req.bodyHash}`;
    expect(signatureVerify(message, req.headers.bt_header_dendrite_signature!, VALIDATOR_SS58).isValid).toBe(
      true,
    );
  });
});
