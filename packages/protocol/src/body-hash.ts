import { createHash } from 'node:crypto';
import { PyFloat, type PyValue, pythonStr } from './python-str.js';

/** Lowercase hex SHA3-256 of UTF-8 text (the SDK's `get_hash`). */
export function sha3Hex(text: string): string {
  return createHash('sha3-256').update(text, 'utf8').digest('hex');
}

/** `body_hash` of a synapse with no `required_hash_fields`: what nearly every subnet sends. */
export const EMPTY_BODY_HASH = sha3Hex('');

/**
 * The pydantic type of a hashed field, where it changes what `str()` prints: a `float` field turns
 * JSON `1` into `1.0`, an `int` field turns `1.0` into `1`. `'any'` (Dict, Any, str, …) keeps the
 * JSON token's own type.
 */
export type PyFieldType = 'any' | 'float' | 'int' | { list: PyFieldType } | { dict: PyFieldType };

/** Applies pydantic's lax coercion for {@link PyFieldType} so `str()` matches the Python side. */
export function coerceToPyType(value: PyValue, type: PyFieldType = 'any'): PyValue {
  if (type === 'any' || value === null) return value;
  if (type === 'float') {
    if (typeof value === 'bigint') return new PyFloat(Number(value));
    if (typeof value === 'number') return new PyFloat(value);
    return value;
  }
  if (type === 'int') {
    if (value instanceof PyFloat && Number.isInteger(value.value)) return BigInt(value.value);
    return value;
  }
  if ('list' in type)
    return Array.isArray(value) ? value.map((v: PyValue) => coerceToPyType(v, type.list)) : value;
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]: [string, PyValue]) => [k, coerceToPyType(v, type.dict)]));
  }
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof PyFloat)) {
    const entries = Object.entries(value as Record<string, PyValue>);
    return Object.fromEntries(entries.map(([k, v]) => [k, coerceToPyType(v, type.dict)]));
  }
  return value;
}

/**
 * The SDK's `Synapse.body_hash`:
 * `sha3( concat( sha3(str(model_dump()[f])) for f in required_hash_fields ) )`, hex throughout.
 *
 * @example
 * computeBodyHash([], () => null) === EMPTY_BODY_HASH;
 * computeBodyHash(['values'], () => [1, 2, 3]); // hashes the text "[1, 2, 3]"
 */
export function computeBodyHash(
  hashFields: readonly string[],
  fieldValue: (field: string) => PyValue,
  types: Readonly<Record<string, PyFieldType>> = {},
): string {
  const parts = hashFields.map((field) =>
    sha3Hex(pythonStr(coerceToPyType(fieldValue(field), types[field]))),
  );
  return sha3Hex(parts.join(''));
}
