#!/usr/bin/env node
// Fails (exit 1) when the workspace has a dependency cycle: between packages (their package.json dependencies on
// each other) or between the modules of one package (relative imports among its source files, type-only imports
// included: a cycle of types is still two files that cannot be understood apart).
// Usage: node tooling/scripts/check-ts-cycles.mjs [--root DIR]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'target', '.turbo', 'coverage']);
// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`, `require('x')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;

/** Workspace package directories from pnpm-workspace.yaml (`dir` or `dir/*` entries). */
export function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\s*\n((?:\s+-.*\n?)+)/m.exec(yaml)?.[1] ?? '';
  const dirs = [];
  for (const line of block.split('\n')) {
    const glob = /^\s+-\s*['"]?([^'"#\s]+)/.exec(line)?.[1];
    if (!glob) continue;
    const candidates = glob.endsWith('/*')
      ? readdirSync(join(root, glob.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(root, glob.slice(0, -2), e.name))
      : [join(root, glob)];
    dirs.push(...candidates.filter((d) => existsSync(join(d, 'package.json'))));
  }
  return dirs.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}

/**
 * Cycles of a directed graph (`Map<node, Iterable<node>>`): one per back edge of a depth-first search, so every
 * cyclic part of the graph shows at least one.
 */
export function findCycles(graph) {
  const cycles = [];
  const state = new Map(); // node → 'open' | 'done'
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names: `./x.js` may be `x.ts` (TypeScript's rule), `./x` may be `x/index.ts`. */
function resolveRelative(from, specifier, files) {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  const tries = [base, ...['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs'].map((ext) => stem + ext)];
  tries.push(...['index.ts', 'index.tsx', 'index.js'].map((name) => join(base, name)));
  return tries.find((path) => files.has(path));
}

/** Module graph of one package: each source file → the files of the same package it imports. */
export function moduleGraph(dir) {
  const files = new Set(sourceFiles(resolve(dir)));
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    const edges = new Set();
    for (const [, specifier] of text.matchAll(SPECIFIER)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier, files);
      if (target && target !== file) edges.add(target);
    }
    graph.set(file, edges);
  }
  return graph;
}

/** All package and module cycles under `root`, as readable `a → b → a` lines. */
export function checkCycles(root) {
  const packages = workspacePackages(resolve(root));
  const names = new Set(packages.map((p) => p.manifest.name));
  const packageGraph = new Map(
    packages.map(({ manifest }) => [
      manifest.name,
      DEP_FIELDS.flatMap((field) => Object.keys(manifest[field] ?? {})).filter((n) => names.has(n)),
    ]),
  );
  const problems = findCycles(packageGraph).map((c) => `package cycle: ${c.join(' → ')}`);
  for (const { dir, manifest } of packages) {
    for (const cycle of findCycles(moduleGraph(dir))) {
      problems.push(
        `module cycle in ${manifest.name}: ${cycle.map((f) => relative(resolve(dir), f)).join(' → ')}`,
      );
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root =
    at === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), '../..') : resolve(process.argv[at + 1]);
  if (!statSync(join(root, 'pnpm-workspace.yaml'), { throwIfNoEntry: false })) {
    console.error(`check-ts-cycles: no pnpm-workspace.yaml in ${root}`);
    process.exit(2);
  }
  const problems = checkCycles(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-ts-cycles: ${problems.length} cycle(s); make the dependency point one way`);
    process.exit(1);
  }
  console.log('check-ts-cycles: no package or module cycles');
}
