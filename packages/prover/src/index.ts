import { native } from './native.js';

/** Version of the native prover core this package was built with. */
export function nativeVersion(): string {
  return native.nativeVersion();
}
