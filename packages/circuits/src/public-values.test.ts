import { describe, expect, it } from 'vitest';
import { bindProof } from './binding.js';
import { decodeProof, encodeProof } from './proof-hex.js';
import {
  BN254_FR_MODULUS,
  dequantize,
  fromPublicSignals,
  readPublicSignal,
  splitByShapes,
  toPublicSignals,
} from './public-values.js';

const P = BN254_FR_MODULUS;

describe('readPublicSignal (the one parser of wire signals)', () => {
  it('reads every spelling of a field element as its canonical signed decimal', () => {
    expect(readPublicSignal('8192')).toBe('8192');
    expect(readPublicSignal('0x2000')).toBe('8192');
    expect(readPublicSignal('-4096')).toBe('-4096');
    expect(readPublicSignal((P - 4096n).toString())).toBe('-4096');
    expect(readPublicSignal('0')).toBe('0');
    expect(readPublicSignal('-0')).toBe('0');
    expect(readPublicSignal('007')).toBe('7');
    expect(readPublicSignal('9223372036854775808')).toBe('9223372036854775808');
  });

  it('refuses what is not a field element', () => {
    for (const bad of [
      '1.5',
      '',
      ' 1',
      '+1',
      '1e3',
      'abc',
      P.toString(),
      (-P).toString(),
      `0x${'f'.repeat(65)}`,
    ]) {
      expect(readPublicSignal(bad)).toBeNull();
    }
    for (const bad of [1, 1n, null, undefined, ['1']]) expect(readPublicSignal(bad)).toBeNull();
  });
});

describe('public signals on the wire', () => {
  const settings = { k: 10, model_hash: 'x', input_shapes: [[1, 2]], output_shapes: [[1], [2]] };

  it('flattens inputs then outputs, and splits them back by the circuit shapes', () => {
    const pub = { inputs: [['1', '-2']], outputs: [['3'], ['4', '-5']] };
    const wire = toPublicSignals(pub);
    expect(wire).toEqual(['1', '-2', '3', '4', '-5']);
    expect(fromPublicSignals(settings, wire)).toEqual(pub);
    expect(fromPublicSignals(settings, ['0x1', (P - 2n).toString(), '3', '4', '-5'])).toEqual(pub);
  });

  it('refuses a wrong count or a non-field signal with INVALID_INPUT', () => {
    expect(() => fromPublicSignals(settings, ['1', '2'])).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => fromPublicSignals(settings, ['1', '2', '3', '4', '0.5'])).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('splits by shapes and dequantizes exactly', () => {
    expect(splitByShapes(['a', 'b', 'c'], [[1], [2]])).toEqual([['a'], ['b', 'c']]);
    expect(splitByShapes(['a'], [[1], [2]])).toBeNull();
    expect(dequantize(['8192', '-4096', '0'], 13)).toEqual([1, -0.5, 0]);
  });
});

describe('proof hex', () => {
  it('round-trips bytes and refuses junk', () => {
    const bytes = new Uint8Array([0, 1, 0xde, 0xff]);
    expect(encodeProof(bytes)).toBe('0x0001deff');
    expect([...decodeProof('0x0001deff')]).toEqual([...bytes]);
    expect([...decodeProof('0001DEFF')]).toEqual([...bytes]);
    for (const bad of ['0x', '', '0x123', '0xzz']) {
      expect(() => decodeProof(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('bindProof (input binding)', () => {
  const own = [['8192', '-4096', '0']];
  const encoded = (publicSignals: string[], proof = '0xdeadbeef') => ({ proof, publicSignals });

  it('binds a proof of the verifier inputs, carrying those inputs and the claimed outputs', () => {
    const bound = bindProof(own, encoded(['8192', (P - 4096n).toString(), '0', '123', (P - 5n).toString()]));
    expect(bound).toEqual({
      ok: true,
      proof: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      inputs: own,
      outputs: ['123', '-5'],
    });
    if (bound.ok) expect(bound.inputs).toBe(own);
  });

  it('refuses a proof whose public inputs are off by one in any element', () => {
    for (let i = 0; i < 3; i++) {
      const signals = [...own[0]!, '7'];
      signals[i] = String(BigInt(signals[i]!) + 1n);
      expect(bindProof(own, encoded(signals))).toMatchObject({ ok: false, reason: 'INPUT_MISMATCH' });
      signals[i] = String(BigInt(signals[i]!) - 2n);
      expect(bindProof(own, encoded(signals))).toMatchObject({ ok: false, reason: 'INPUT_MISMATCH' });
    }
  });

  it('refuses missing outputs, non-field signals and bad proof bytes as MALFORMED', () => {
    for (const e of [
      encoded(own[0]!),
      encoded([]),
      encoded([...own[0]!, '1.5']),
      encoded([...own[0]!, P.toString()]),
      encoded([...own[0]!, '1'], '0x'),
      encoded([...own[0]!, '1'], '0xabc'),
    ]) {
      expect(bindProof(own, e)).toMatchObject({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('will not bind against own inputs that are not canonical values (a caller bug, thrown)', () => {
    expect(() => bindProof([['08192']], encoded(['8192', '1']))).toThrow(TypeError);
  });
});
