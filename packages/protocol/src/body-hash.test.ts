import { describe, expect, it } from 'vitest';
import { computeBodyHash, EMPTY_BODY_HASH, sha3Hex } from './body-hash.js';
import { parsePythonJson } from './python-json.js';
import { PyFloat, type PyValue } from './python-str.js';

// Expected digests were produced by CPython 3 (`hashlib.sha3_256` over `str(value)`), not by this code.
const hashOf = (values: PyValue[], types = {}) =>
  computeBodyHash(
    values.map((_, i) => `f${i}`),
    (field) => values[Number(field.slice(1))]!,
    types,
  );

describe('computeBodyHash', () => {
  it('is sha3("") with no hash fields (research §4.2)', () => {
    expect(EMPTY_BODY_HASH).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    expect(computeBodyHash([], () => null)).toBe(EMPTY_BODY_HASH);
    expect(sha3Hex('')).toBe(EMPTY_BODY_HASH);
  });

  it.each<[string, PyValue[], string]>([
    ['ints', [1, 2n ** 63n + 5n, -7], '3ede798ed661d624921a35f4512d06b885ca1786cc34411da5616e9a2b24b517'],
    [
      'floats',
      [0.1, new PyFloat(1), new PyFloat(1e16), 1e-5],
      'c5fa46aa943f4adccbdfcf1b70f0b398bfd3eee471336f6287d0cd67935ac1e1',
    ],
    [
      'lists',
      [[1, 2, 3], ['a', 'b'], []],
      '480c922d0e1a57f1da5d4dac72184997a22eb3c9ca4d1eaa7148129034189046',
    ],
    [
      'dicts',
      [{ k: 'v', n: [1, 2.5, null] }, {}],
      '77afebc49ea096672c7a21fdca08dc30b33cf3467076a947e882bd06c0d4c71b',
    ],
    ['None and bool', [null, true], '1a70a8d1525108cd375f0d01ee4158f8231d1597062692829dd30260c20caa63'],
    ['strings', ['plain text', "it's"], '29467842a12edc2ae2272068514ee17774f7fe002b36e087d55706993af0be44'],
  ])('matches CPython for %s', (_name, values, expected) => {
    expect(hashOf(values)).toBe(expected);
  });

  it('matches CPython for a mixed synapse parsed from JSON, with a float-typed field', () => {
    const body = parsePythonJson(
      '{"a": "hello", "b": [1, 2, 3], "c": 12, "d": {"model_id": "abc", "public_inputs": {"x": [0.5, 1.0]}}, "e": null}',
    ) as Map<string, PyValue>;
    const fields = ['a', 'b', 'c', 'd', 'e'];
    // `c: float` in the Python class: JSON 12 validates to 12.0.
    const hash = computeBodyHash(fields, (f) => body.get(f) ?? null, { c: 'float' });
    expect(hash).toBe('e85b48f47e1a2e037f152236c2dc53cba7c87a8dc51f17323a126512d0046dd9');
    expect(computeBodyHash(fields, (f) => body.get(f) ?? null)).not.toBe(hash);
  });

  it('coerces int-typed and list/dict-of-float fields like pydantic lax mode', () => {
    expect(computeBodyHash(['x'], () => new PyFloat(3), { x: 'int' })).toBe(computeBodyHash(['x'], () => 3));
    expect(computeBodyHash(['x'], () => [1, 2], { x: { list: 'float' } })).toBe(
      computeBodyHash(['x'], () => [new PyFloat(1), new PyFloat(2)]),
    );
    expect(computeBodyHash(['x'], () => ({ a: 1 }), { x: { dict: 'float' } })).toBe(
      computeBodyHash(['x'], () => ({ a: new PyFloat(1) })),
    );
  });

  it('depends on field order', () => {
    expect(computeBodyHash(['a', 'b'], (f) => f)).not.toBe(computeBodyHash(['b', 'a'], (f) => f));
  });
});
