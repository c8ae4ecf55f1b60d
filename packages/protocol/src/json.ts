import { PyFloat, pythonFloatRepr } from './python-str.js';

/**
 * JSON text for the wire: like `JSON.stringify`, but `bigint` is written as a bare integer (19-digit
 * nonces must not pass through `Number`) and {@link PyFloat} keeps its `.0`.
 */
export function toWireJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toWireJson).join(',')}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const parts = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${toWireJson(v)}`);
  return `{${parts.join(',')}}`;
}
