// node --test tooling/scripts/: the cycle check on tiny workspaces in a temp dir, with and without cycles.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkCycles } from './check-ts-cycles.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'check-ts-cycles.mjs');

/** A workspace with `packages/<name>` for each entry: its workspace dependencies and its source files. */
function workspace(packages) {
  const root = mkdtempSync(join(tmpdir(), 'ts-cycles-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n\ncatalog:\n  zod: ^4\n');
  for (const [name, { deps = [], devDeps = [], files = {} }] of Object.entries(packages)) {
    const dir = join(root, 'packages', name);
    mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
    const asDeps = (list) => Object.fromEntries(list.map((d) => [`@t/${d}`, 'workspace:*']));
    const manifest = {
      name: `@t/${name}`,
      dependencies: { zod: 'catalog:', ...asDeps(deps) },
      devDependencies: asDeps(devDeps),
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'src', file), text);
  }
  return root;
}

const clean = {
  core: {
    files: { 'a.ts': "import { b } from './b.js';\nexport const a = b;", 'b.ts': 'export const b = 1;' },
  },
  app: {
    deps: ['core'],
    files: {
      'main.ts':
        "import { a } from '@t/core';\nimport { x } from './sub/index.js';\n// import { main } from './main.js';\n",
      'sub/index.ts': "import { z } from 'zod';\nexport const x = 1;",
    },
  },
};

test('a workspace without cycles passes, comments and package imports are no edges', () => {
  const root = workspace(clean);
  assert.deepEqual(checkCycles(root), []);
  assert.match(
    execFileSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' }),
    /no package or module cycles/,
  );
});

test('a package cycle through devDependencies is found and fails the script', () => {
  const root = workspace({ ...clean, core: { ...clean.core, devDeps: ['app'] } });
  assert.deepEqual(checkCycles(root), ['package cycle: @t/app → @t/core → @t/app']);
  assert.throws(
    () => execFileSync(process.execPath, [SCRIPT, '--root', root], { stdio: 'pipe' }),
    (err) => err.status === 1 && /package cycle/.test(err.stderr.toString()),
  );
});

test('a module cycle inside a package is found, type-only and directory imports included', () => {
  const root = workspace({
    ...clean,
    app: {
      deps: ['core'],
      files: {
        'main.ts': "import { x } from './sub';\nexport const main = x;",
        'sub/index.ts': "import type { main } from '../main.js';\nexport const x = 1;",
      },
    },
  });
  assert.deepEqual(checkCycles(root), [
    `module cycle in @t/app: ${join('src', 'main.ts')} → ${join('src', 'sub', 'index.ts')} → ${join('src', 'main.ts')}`,
  ]);
});
