#!/usr/bin/env node
// Runs cargo with the host triple as an explicit build target.
//
// Why: `napi build` always passes `--target <triple>`, and cargo keeps artifacts built
// for an explicit target apart from those built without one. Without this, a fresh clone
// compiles every Rust dependency twice (once for `cargo test`, once for the addon).
// Giving the root cargo commands the same explicit target lets them share one set. (They
// must also select the same packages: `cargo test --workspace` includes the napi crate, so
// features such as memchr's `default`, which napi enables, resolve as in the addon build.)
// An explicit CARGO_BUILD_TARGET in the environment is left as it is.
import { execFileSync, spawnSync } from 'node:child_process';

function hostTriple() {
  const info = execFileSync('rustc', ['-vV'], { encoding: 'utf8' });
  const host = /^host: (\S+)$/m.exec(info)?.[1];
  if (!host) throw new Error('cargo-host: could not read the host triple from `rustc -vV`');
  return host;
}

const env = { ...process.env };
env.CARGO_BUILD_TARGET ??= hostTriple();
const run = spawnSync('cargo', process.argv.slice(2), { stdio: 'inherit', env });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
