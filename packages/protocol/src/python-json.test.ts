import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from './errors.js';
import { parsePythonJson } from './python-json.js';
import { PyFloat, pythonStr } from './python-str.js';

describe('parsePythonJson', () => {
  it('keeps what Python keeps: exact ints, float tokens, key order, NaN', () => {
    const value = parsePythonJson(
      '{"b": 1.0, "1": 1736000000123456789, "a": [1e2, -0, null, true], "n": NaN}',
    );
    expect(pythonStr(value)).toBe(
      "{'b': 1.0, '1': 1736000000123456789, 'a': [100.0, 0, None, True], 'n': nan}",
    );
  });

  it('keeps the first position of a duplicated key with the last value, like dict', () => {
    expect(pythonStr(parsePythonJson('{"a":1,"b":2,"a":3}'))).toBe("{'a': 3, 'b': 2}");
  });

  it('decodes string escapes', () => {
    expect(parsePythonJson('"a\\n\\u00e9\\"\\ud83d\\ude00"')).toBe('a\né"😀');
    expect(parsePythonJson('-Infinity')).toEqual(new PyFloat(-Infinity));
  });

  it.each(['', '{', '[1,]', '{"a" 1}', '01', '1.', 'tru', '"\u0001"', '"\\x"', '[1] 2', '{"a":1,}', '-'])(
    'rejects %j with JSON_INVALID',
    (text) => {
      let err: unknown;
      try {
        parsePythonJson(text);
      } catch (e) {
        err = e;
      }
      expect(isProtocolError(err, 'JSON_INVALID')).toBe(true);
    },
  );

  it('rejects hostile nesting instead of overflowing the stack', () => {
    expect(() => parsePythonJson('['.repeat(100_000))).toThrow(/too deep/);
  });

  it('agrees with JSON.parse on any JSON text (modulo int/float typing)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const toPlain = (v: unknown): unknown => {
          if (typeof v === 'bigint') return Number(v);
          if (v instanceof PyFloat) return v.value;
          if (Array.isArray(v)) return v.map(toPlain);
          if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toPlain(x)]));
          return v;
        };
        expect(toPlain(parsePythonJson(text))).toEqual(JSON.parse(text));
      }),
    );
  });
});
