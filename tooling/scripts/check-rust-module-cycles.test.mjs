// node --test tooling/scripts/check-rust-module-cycles.test.mjs
// Builds tiny workspaces in a temp dir and runs the checker on them, in process and as
// the CLI the lint script calls.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkWorkspace, expandUseTree, stripRust } from './check-rust-module-cycles.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-rust-module-cycles.mjs');
const temp = mkdtempSync(join(tmpdir(), 'rust-cycles-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Writes a workspace with one crate `demo` whose src files are `files` (path → text). */
function workspace(name, files) {
  const root = join(temp, name);
  mkdirSync(join(root, 'crates/demo/src'), { recursive: true });
  writeFileSync(join(root, 'Cargo.toml'), '[workspace]\nresolver = "2"\nmembers = ["crates/*"]\n');
  writeFileSync(join(root, 'crates/demo/Cargo.toml'), '[package]\nname = "demo"\nversion = "0.1.0"\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'crates/demo/src', path)), { recursive: true });
    writeFileSync(join(root, 'crates/demo/src', path), text);
  }
  return root;
}

const run = (root) => spawnSync(process.execPath, [script, root], { encoding: 'utf8' });

// A layered crate: settings is a leaf, compile uses it, calibrate uses both; a
// sub-module tree whose children use their parent's helpers and a sibling.
const acyclic = {
  'lib.rs': `
    mod calibrate;
    mod compile;
    mod settings;
    mod onnx;
    pub use settings::Settings;
    pub use compile::compile;
  `,
  'settings.rs': `
    // A comment naming crate::compile is not a dependency.
    pub struct Settings;
    pub const NOTE: &str = "see crate::calibrate::run";
  `,
  'compile.rs': `
    use crate::settings::Settings;
    pub fn compile() -> Settings { crate::onnx::lower(); Settings }
  `,
  'calibrate.rs': `
    use crate::{compile::compile, Settings};
    pub fn run() -> Settings { compile() }
  `,
  'onnx/mod.rs': `
    mod linear;
    mod prog;
    pub(crate) fn lower() { linear::lower(); }
    pub(crate) fn attr() -> u32 { 1 }
  `,
  'onnx/linear.rs': `
    use super::prog::Builder;
    pub(crate) fn lower() { let _ = super::attr(); let _ = Builder; }
  `,
  'onnx/prog.rs': `
    pub(crate) struct Builder;
    #[cfg(test)]
    mod tests {
        use super::*;
    }
  `,
};

test('an acyclic crate passes, in process and through the CLI', () => {
  const root = workspace('acyclic', acyclic);
  assert.deepEqual(checkWorkspace(root), []);
  const cli = run(root);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /no Rust module cycles/);
});

test('a cycle between sibling modules fails and is named with where each edge comes from', () => {
  const root = workspace('cycle', {
    ...acyclic,
    // settings now points back at calibrate (through the crate root's re-export of
    // compile, and directly): calibrate → compile → settings → calibrate.
    'settings.rs': `
      pub struct Settings { pub calibration: Option<crate::calibrate::Calibration> }
    `,
    'calibrate.rs': `
      use crate::{compile::compile, Settings};
      pub struct Calibration;
      pub fn run() -> Settings { compile() }
    `,
  });
  const problems = checkWorkspace(root);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /module cycle calibrate → compile → settings → calibrate/);
  assert.match(problems[0], /settings → calibrate {2}\(crates\/demo\/src\/settings\.rs:2\)/);
  const cli = run(root);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /calibrate → compile → settings → calibrate/);
});

test('a path through a crate-root re-export counts for the module that defines the item', () => {
  const root = workspace('reexport', {
    ...acyclic,
    'settings.rs': `
      pub struct Settings;
      pub fn check() { crate::compile(); }
    `,
  });
  assert.match(checkWorkspace(root).join('\n'), /module cycle compile → settings → compile/);
});

test('a cycle between siblings inside a sub-module tree fails; parent and child may use each other', () => {
  const root = workspace('nested', {
    ...acyclic,
    'onnx/prog.rs': `
      pub(crate) struct Builder;
      pub(crate) fn helper() { super::linear::lower(); }
    `,
  });
  const problems = checkWorkspace(root);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /module cycle onnx::linear → onnx::prog → onnx::linear/);
});

test('inline modules are modules of their own', () => {
  const root = workspace('inline', {
    'lib.rs': `
      pub mod fx { pub const A: usize = super::fc::B; }
      pub mod fc { pub const B: usize = 1; pub const C: usize = super::fx::A; }
    `,
  });
  assert.match(checkWorkspace(root).join('\n'), /module cycle fc → fx → fc/);
});

test('use trees expand into one path per leaf; comments and literals are blanked', () => {
  assert.deepEqual(expandUseTree('crate::{a::{b, c as d}, e::*}'), [
    ['crate', 'a', 'b'],
    ['crate', 'a', 'c'],
    ['crate', 'e', '*'],
  ]);
  const stripped = stripRust(`let s = "crate::x"; // crate::y\n/* crate::z */ let c = '"'; crate::w`);
  assert.doesNotMatch(stripped, /crate::[xyz]/);
  assert.match(stripped, /crate::w/);
  assert.equal(stripped.split('\n').length, 2);
});
