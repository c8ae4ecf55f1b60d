import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyFloat, pythonFloatRepr, pythonRepr, pythonStr, pythonStrRepr } from './python-str.js';

describe('pythonFloatRepr (CPython float.__repr__)', () => {
  it.each([
    [0.1, '0.1'],
    [1, '1.0'],
    [12, '12.0'],
    [-2.5, '-2.5'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1234567890123456.8, '1234567890123456.8'],
    [1e20, '1e+20'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [-0, '-0.0'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('%d → %s', (x, expected) => {
    expect(pythonFloatRepr(x)).toBe(expected);
  });

  it('always parses back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(pythonFloatRepr(x)), x)).toBe(true);
      }),
    );
  });
});

describe('pythonStrRepr (CPython str.__repr__)', () => {
  it.each([
    ['a', "'a'"],
    ["it's", '"it\'s"'],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['tab\tnl\ncr\rbs\\', "'tab\\tnl\\ncr\\rbs\\\\'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'"],
    ['\u00a0nbsp', "'\\xa0nbsp'"],
    ['é ü 中', "'é ü 中'"],
    ['\u200b', "'\\u200b'"],
    ['😀', "'😀'"],
    ['\u{e0001}', "'\\U000e0001'"],
  ])('%j → %s', (text, expected) => {
    expect(pythonStrRepr(text)).toBe(expected);
  });
});

describe('pythonStr / pythonRepr', () => {
  it.each([
    ['hello', 'hello'],
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [42, '42'],
    [12345678901234567890n, '12345678901234567890'],
    [1e21, '1000000000000000000000'],
    [0.5, '0.5'],
    [new PyFloat(1), '1.0'],
    [[1, 2, 3], '[1, 2, 3]'],
    [['a', 'b'], "['a', 'b']"],
    [[], '[]'],
    [{ k: 'v' }, "{'k': 'v'}"],
    [{}, '{}'],
    [{ a: [1, new PyFloat(2)], b: { c: null } }, "{'a': [1, 2.0], 'b': {'c': None}}"],
    [
      new Map<string, null | number>([
        ['b', 1],
        ['1', null],
      ]),
      "{'b': 1, '1': None}",
    ],
  ])('case %# → %s', (value, expected) => {
    expect(pythonStr(value)).toBe(expected);
  });

  it('quotes strings inside containers but not at top level', () => {
    expect(pythonStr('x')).toBe('x');
    expect(pythonRepr('x')).toBe("'x'");
    expect(pythonStr(['x'])).toBe("['x']");
  });
});
