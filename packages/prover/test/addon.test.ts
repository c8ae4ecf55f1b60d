import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nativeVersion } from '../src/index.js';

describe('native addon', () => {
  it('loads and reports the version of the crate it was built from', () => {
    const cargo = readFileSync(new URL('../../../Cargo.toml', import.meta.url), 'utf8');
    const version = /\[workspace\.package\][^[]*?version = "([^"]+)"/s.exec(cargo)?.[1];
    expect(version).toBeDefined();
    expect(nativeVersion()).toBe(version);
  });
});
