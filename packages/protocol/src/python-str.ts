/**
 * Python `str()` / `repr()` of JSON-shaped values, as the SDK's body hash needs
 * (`sha3(str(model_dump()[field]))`). JS `String()` and `JSON.stringify` differ on every
 * non-string type, so hashed fields go through here.
 */

/** A value Python holds as `float` even when it is integral (`1.0`, not `1`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * Values as Python sees them after `json.loads` + pydantic: `bigint` and integral `number` are
 * `int`, other `number`s and {@link PyFloat} are `float`, `Map` keeps dict key order
 * (plain objects reorder integer-like keys in JS).
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | readonly PyValue[]
  | ReadonlyMap<string, PyValue>
  | { readonly [key: string]: PyValue };

/** CPython `float.__repr__`: shortest round-trip digits, exponent form when decpt ≤ -4 or > 16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const absExp = Math.abs(exp);
  return `${sign}${head}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
}

// Python's str.isprintable() is false for these categories (space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function hexEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** CPython `str.__repr__`: single quotes unless the text has `'` and no `"`. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote) out += `\\${ch}`;
    else if (SIMPLE_ESCAPES[ch] !== undefined) out += SIMPLE_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += hexEscape(code);
    else if (code < 0x7f || ch === ' ') out += ch;
    else if (NON_PRINTABLE.test(ch)) out += hexEscape(code);
    else out += ch;
  }
  return out + quote;
}

function entriesOf(value: ReadonlyMap<string, PyValue> | { readonly [key: string]: PyValue }) {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

/** Python `repr()` of a JSON-shaped value. */
export function pythonRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    return Number.isInteger(value) && !Object.is(value, -0)
      ? BigInt(value).toString()
      : pythonFloatRepr(value);
  }
  if (typeof value === 'string') return pythonStrRepr(value);
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const pairs = entriesOf(value as ReadonlyMap<string, PyValue>).map(
    ([k, v]) => `${pythonStrRepr(k)}: ${pythonRepr(v)}`,
  );
  return `{${pairs.join(', ')}}`;
}

/** Python `str()`: a string is itself, everything else is its repr. */
export function pythonStr(value: PyValue): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}
