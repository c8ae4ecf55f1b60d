import { ProtocolError } from './errors.js';
import { PyFloat, type PyValue } from './python-str.js';

/** Python's json module stops around here too (recursion limit); deeper input is hostile. */
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Parses JSON the way Python's `json.loads` sees it: integers stay exact (`bigint`), float tokens
 * become {@link PyFloat} (so `1.0` stays a float), objects become insertion-ordered `Map`s, and
 * `NaN` / `Infinity` are accepted. Used for body-hash fields, where `JSON.parse` loses the
 * distinctions Python's `str()` prints.
 */
export function parsePythonJson(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new ProtocolError('JSON_INVALID', `invalid JSON at offset ${pos}: ${what}`);
  };
  const skipWs = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const literal = (word: string, value: PyValue): PyValue => {
    if (!text.startsWith(word, pos)) fail(`unexpected ${JSON.stringify(text[pos] ?? 'end')}`);
    pos += word.length;
    return value;
  };
  const parseString = (): string => {
    const start = pos;
    pos++;
    for (;;) {
      const ch = text[pos];
      if (ch === undefined) fail('unterminated string');
      if (ch === '"') break;
      if (ch === '\\') pos++;
      else if (ch! < ' ') fail('control character in string');
      pos++;
    }
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('bad escape in string');
    }
  };
  const parseNumber = (): PyValue => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail('bad number');
    pos = NUMBER.lastIndex;
    return match[1] === undefined && match[2] === undefined
      ? BigInt(match[0])
      : new PyFloat(Number(match[0]));
  };
  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWs();
    const ch = text[pos];
    if (ch === '"') return parseString();
    if (ch === '{') {
      pos++;
      const map = new Map<string, PyValue>();
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return map;
      }
      for (;;) {
        skipWs();
        if (text[pos] !== '"') fail('expected a key');
        const key = parseString();
        skipWs();
        if (text[pos++] !== ':') fail("expected ':'");
        map.set(key, parseValue(depth + 1));
        skipWs();
        const sep = text[pos++];
        if (sep === '}') return map;
        if (sep !== ',') fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      pos++;
      const list: PyValue[] = [];
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return list;
      }
      for (;;) {
        list.push(parseValue(depth + 1));
        skipWs();
        const sep = text[pos++];
        if (sep === ']') return list;
        if (sep !== ',') fail("expected ',' or ']'");
      }
    }
    if (ch === 't') return literal('true', true);
    if (ch === 'f') return literal('false', false);
    if (ch === 'n') return literal('null', null);
    if (ch === 'N') return literal('NaN', new PyFloat(Number.NaN));
    if (ch === 'I') return literal('Infinity', new PyFloat(Number.POSITIVE_INFINITY));
    if (ch === '-' && text.startsWith('-Infinity', pos)) return literal('-Infinity', new PyFloat(-Infinity));
    return parseNumber();
  };
  const value = parseValue(0);
  skipWs();
  if (pos !== text.length) fail('trailing characters');
  return value;
}
