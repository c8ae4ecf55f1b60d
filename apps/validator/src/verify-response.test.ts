import { BN254_FR_MODULUS } from '@omron/circuits';
import { encodeProofPayload } from '@omron/protocol';
import { describe, expect, it } from 'vitest';
import type { PublicValues, QueryResult, ValidatorCircuit } from './ports.js';
import { bindResponse, verifyResponse } from './verify-response.js';

const CIRCUIT = 'a'.repeat(64);
const OWN = [['8192', '-4096', '0']];
const OWN_SIGNALS = ['8192', (BN254_FR_MODULUS - 4096n).toString(), '0'];

function payload(over: Record<string, unknown> = {}): string {
  return encodeProofPayload({
    format_version: 1,
    model_id: CIRCUIT,
    proof_system: 'halo2-kzg-bn254',
    proof: '0xdeadbeef',
    public_signals: [...OWN_SIGNALS, '123', '-5'],
    public_inputs: [[1, -0.5, 0]],
    outputs: [0.015, -0.0006],
    ...over,
  } as Parameters<typeof encodeProofPayload>[0]);
}

const ok = (output: string | null): QueryResult => ({
  statusCode: 200,
  statusMessage: 'Success',
  processTimeS: 1.5,
  output,
  responseSignature: 'valid',
});

describe('bindResponse (input binding)', () => {
  it('binds a payload for this circuit and these inputs, carrying the validator inputs and the claimed outputs', () => {
    const binding = bindResponse(ok(payload()), CIRCUIT, OWN);
    expect(binding.ok).toBe(true);
    if (!binding.ok) return;
    expect(binding.publicValues.inputs).toBe(OWN);
    // The same field elements as 123 and p − 5, in the one representation (canonical signed decimal).
    expect(binding.publicValues.outputs).toEqual(['123', '-5']);
    expect([...binding.proof]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(binding.proofSizeBytes).toBe(4);
  });

  it('accepts signals written as hex or as negative decimals: they are the same field elements', () => {
    const signals = ['0x2000', '-4096', '0', '1'];
    expect(bindResponse(ok(payload({ public_signals: signals })), CIRCUIT, OWN).ok).toBe(true);
  });

  it('rejects a proof for another input, whichever element differs', () => {
    for (let i = 0; i < OWN_SIGNALS.length; i++) {
      const signals = [...OWN_SIGNALS, '7'];
      signals[i] = (BigInt(signals[i]!) + 1n).toString();
      const binding = bindResponse(ok(payload({ public_signals: signals })), CIRCUIT, OWN);
      expect(binding).toMatchObject({ ok: false, reason: 'INPUT_MISMATCH' });
    }
  });

  it('ignores the echoed public_inputs: binding is on the proven signals', () => {
    const binding = bindResponse(ok(payload({ public_inputs: [[9, 9, 9]] })), CIRCUIT, OWN);
    expect(binding.ok).toBe(true);
  });

  it('rejects a proof of another circuit', () => {
    expect(bindResponse(ok(payload({ model_id: 'b'.repeat(64) })), CIRCUIT, OWN)).toMatchObject({
      ok: false,
      reason: 'WRONG_CIRCUIT',
    });
  });

  it('rejects a payload with no outputs after the inputs, or too few signals', () => {
    for (const signals of [OWN_SIGNALS, OWN_SIGNALS.slice(0, 2), []]) {
      expect(bindResponse(ok(payload({ public_signals: signals })), CIRCUIT, OWN)).toMatchObject({
        ok: false,
        reason: 'MALFORMED_PAYLOAD',
      });
    }
  });

  it('rejects malformed payloads: junk text, wrong JSON shape, non-field signals, empty proof', () => {
    const cases = [
      'not json',
      '{"format_version":1}',
      JSON.stringify({ ...JSON.parse(payload()), proof: 'deadbeef' }),
      payload({ public_signals: [...OWN_SIGNALS, '1.5'] }),
      payload({ public_signals: [...OWN_SIGNALS, BN254_FR_MODULUS.toString()] }),
      payload({ proof: '0x' }),
      '',
    ];
    for (const output of cases) {
      expect(bindResponse(ok(output), CIRCUIT, OWN)).toMatchObject({
        ok: false,
        reason: 'MALFORMED_PAYLOAD',
      });
    }
  });

  it('counts a timeout, an unreachable miner or an error status as no response', () => {
    for (const statusCode of [408, 503, 500, 401]) {
      const result: QueryResult = {
        statusCode,
        statusMessage: 'x',
        processTimeS: 12,
        output: payload(),
        responseSignature: statusCode === 408 ? null : 'valid',
      };
      expect(bindResponse(result, CIRCUIT, OWN)).toMatchObject({ ok: false, reason: 'NO_RESPONSE' });
    }
    expect(bindResponse(ok(null), CIRCUIT, OWN)).toMatchObject({ ok: false, reason: 'NO_RESPONSE' });
  });

  it('refuses a 200 answer without a valid miner signature as RESPONSE_UNSIGNED, however good its proof', () => {
    for (const responseSignature of ['missing', 'invalid', null] as const) {
      expect(bindResponse({ ...ok(payload()), responseSignature }, CIRCUIT, OWN)).toMatchObject({
        ok: false,
        reason: 'RESPONSE_UNSIGNED',
      });
    }
    // An unsigned error answer is still just no response.
    const error: QueryResult = { ...ok(null), statusCode: 503, responseSignature: 'missing' };
    expect(bindResponse(error, CIRCUIT, OWN)).toMatchObject({ ok: false, reason: 'NO_RESPONSE' });
  });
});

describe('verifyResponse', () => {
  const seen: PublicValues[] = [];
  const circuit = (verify: ValidatorCircuit['verify']): ValidatorCircuit => ({
    id: CIRCUIT,
    name: 't',
    timeoutS: 10,
    benchmarkWeight: 1,
    generateInput: () => [[0]],
    quantizeInputs: () => OWN,
    verify,
  });

  it('verifies against the validator inputs and reports the proof size', async () => {
    const verdict = await verifyResponse(
      circuit(async (_proof, values) => {
        seen.push(values);
        return true;
      }),
      OWN,
      ok(payload()),
    );
    expect(verdict).toEqual({ verified: true, proofSizeBytes: 4 });
    expect(seen.at(-1)?.inputs).toBe(OWN);
  });

  it('turns a failing or throwing verifier into a failed response, never a crash', async () => {
    expect(
      await verifyResponse(
        circuit(async () => false),
        OWN,
        ok(payload()),
      ),
    ).toMatchObject({
      verified: false,
      reason: 'PROOF_INVALID',
    });
    const thrown = Object.assign(new Error('bad bytes'), { code: 'BAD_PROOF_FORMAT' });
    expect(
      await verifyResponse(
        circuit(async () => {
          throw thrown;
        }),
        OWN,
        ok(payload()),
      ),
    ).toMatchObject({ verified: false, reason: 'VERIFY_ERROR', detail: 'BAD_PROOF_FORMAT: bad bytes' });
  });

  it('never calls the verifier for an unbound response', async () => {
    let calls = 0;
    const c = circuit(async () => {
      calls++;
      return true;
    });
    await verifyResponse(c, OWN, ok(payload({ model_id: 'c'.repeat(64) })));
    expect(calls).toBe(0);
  });
});
