import { describe, expect, it } from 'vitest';
import { isProtocolError } from './errors.js';
import {
  type ChainProofPayload,
  decodeProofPayload,
  encodeProofPayload,
  type ProofPayload,
} from './proof-payload.js';
import { createSynapse } from './synapse.js';
import {
  MAX_QUERY_OUTPUT_CHARS,
  QueryForCapacities,
  QueryZkProof,
  QueryZkProofDefinition,
} from './synapses.js';

describe('QueryZkProof / QueryForCapacities schemas', () => {
  it('fills the SDK defaults and forces name to the class name', () => {
    const s = createSynapse(QueryZkProofDefinition, { name: 'Other' } as never);
    expect(s).toMatchObject({
      name: 'QueryZkProof',
      timeout: 12,
      total_size: 0,
      computed_body_hash: '',
      query_input: null,
      query_output: null,
    });
    expect(s.dendrite).toMatchObject({ nonce: null, hotkey: null });
  });

  it('parses a Python model_dump() body: drops unknown top-level fields, keeps query_input extras', () => {
    // As Python's json.dumps writes it: the nonce is a bare 19-digit integer.
    const text = JSON.stringify({
      name: 'QueryZkProof',
      timeout: 60.0,
      total_size: 3462,
      header_size: 640,
      dendrite: {
        status_code: null,
        nonce: 'NONCE',
        uuid: 'u',
        hotkey: '5D',
        signature: '0x',
        process_time: '0.5',
      },
      axon: { ip: '1.2.3.4', port: 8091, hotkey: '5A' },
      computed_body_hash: '',
      query_input: { model_id: 'a'.repeat(64), public_inputs: { x: [1] }, extra: true },
      query_output: null,
      unknown_future_field: 1,
    }).replace('"NONCE"', '1718696917604843264');
    const s = QueryZkProof.parse(JSON.parse(text));
    expect('unknown_future_field' in s).toBe(false);
    expect(s.query_input).toEqual({ model_id: 'a'.repeat(64), public_inputs: { x: [1] }, extra: true });
    expect(s.dendrite?.process_time).toBe(0.5);
    expect(typeof s.dendrite?.nonce).toBe('bigint');
    expect(QueryZkProof.safeParse({ query_input: { model_id: [0] } }).success).toBe(true);
  });

  it('rejects wrong types and oversized outputs', () => {
    expect(QueryZkProof.safeParse({ query_output: 5 }).success).toBe(false);
    expect(QueryZkProof.safeParse({ query_input: [1, 2] }).success).toBe(false);
    expect(QueryZkProof.safeParse({ query_output: 'a'.repeat(MAX_QUERY_OUTPUT_CHARS + 1) }).success).toBe(
      false,
    );
    expect(QueryForCapacities.parse({ capacities: { lstm: 400 } }).capacities).toEqual({ lstm: 400 });
    expect(QueryForCapacities.safeParse({ capacities: { lstm: 'many' } }).success).toBe(false);
  });
});

describe('ProofPayload', () => {
  const payload: ProofPayload = {
    format_version: 1,
    model_id: 'lstm',
    proof_system: 'halo2-kzg-bn254',
    proof: '0xdeadbeef',
    public_signals: ['12', '0x01'],
    public_inputs: { x: [0.1, 0.2] },
    outputs: [0.5],
  };

  it('round-trips through query_output', () => {
    expect(decodeProofPayload(encodeProofPayload(payload))).toEqual(payload);
  });

  it('carries a chain of slice proofs as version 2; version 1 stays accepted', () => {
    const chain: ChainProofPayload = {
      format_version: 2,
      model_id: 'mlp',
      proof_system: 'halo2-kzg-bn254',
      slices: [
        { proof: '0xdead', public_signals: ['1', '2'] },
        { proof: '0xbeef', public_signals: ['2', '-3'] },
      ],
      public_inputs: [[0.1]],
      outputs: [0.5],
    };
    expect(decodeProofPayload(encodeProofPayload(chain))).toEqual(chain);
    expect(decodeProofPayload(encodeProofPayload(payload)).format_version).toBe(1);
    for (const bad of [
      { ...chain, slices: [] },
      { ...chain, slices: [{ proof: 'dead', public_signals: [] }] },
    ]) {
      expect(() => decodeProofPayload(JSON.stringify(bad))).toThrow(
        expect.objectContaining({ code: 'SYNAPSE_INVALID' }),
      );
    }
    expect(() => encodeProofPayload({ ...chain, slices: [] })).toThrow();
  });

  it.each<[string | null, string]>([
    [null, 'SYNAPSE_INVALID'],
    ['An error occurred', 'JSON_INVALID'],
    ['{"proof": "abc", "public_signals": "[]"}', 'SYNAPSE_INVALID'],
    [JSON.stringify({ ...payload, format_version: 2 }), 'SYNAPSE_INVALID'],
    [JSON.stringify({ ...payload, proof: '0xABC' }), 'SYNAPSE_INVALID'],
    ['x'.repeat(MAX_QUERY_OUTPUT_CHARS + 1), 'PAYLOAD_TOO_LARGE'],
  ])('classifies query_output %# as %s', (text, code) => {
    let err: unknown;
    try {
      decodeProofPayload(text);
    } catch (e) {
      err = e;
    }
    expect(isProtocolError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
  });
});

describe('createSynapse', () => {
  it('reports invalid fields as SYNAPSE_INVALID', () => {
    let err: unknown;
    try {
      createSynapse(QueryZkProofDefinition, { query_output: 5 as unknown as string });
    } catch (e) {
      err = e;
    }
    expect(isProtocolError(err, 'SYNAPSE_INVALID')).toBe(true);
  });
});
