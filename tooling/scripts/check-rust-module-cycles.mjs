#!/usr/bin/env node
// Fails (exit 1, naming the cycle) when the modules of a Rust crate in the workspace
// depend on each other in a cycle.
//
// The module tree comes from `mod` declarations (files and inline blocks) starting at
// each crate root (src/lib.rs, src/main.rs, src/bin/*.rs). A module depends on another
// where its code names it by path: `crate::…`, `super::…`, `self::…` in `use` trees and
// in expressions; a path through the crate root's `pub use` re-exports counts for the
// module that defines the item. Dependencies are checked among siblings: a reference
// from anywhere under module A to anywhere under sibling B is an edge A → B of their
// parent. References between a module and its own ancestors (a parent dispatching to its
// children, children using helpers of their parent) are containment and never a cycle.
//
// Usage: node tooling/scripts/check-rust-module-cycles.mjs [--print] [workspace-root]
// (--print lists the dependencies between sibling modules.)
// Parsing is lexical (comments, strings and char literals removed first), which is
// enough for the path forms rustfmt leaves in this code base; macros that build paths
// from tokens are not followed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source with comments, string and char literals blanked out (newlines kept for line numbers). */
export function stripRust(src) {
  let out = '';
  let i = 0;
  const blank = (s) => s.replace(/[^\n]/g, ' ');
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) {
        if (src[j] === '/' && src[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (src[j] === '*' && src[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === 'r' && /^r#*"/.test(src.slice(i, i + 258)) && !/[A-Za-z0-9_]/.test(src[i - 1] ?? '')) {
      const hashes = /^r(#*)"/.exec(src.slice(i))[1];
      const close = `"${hashes}`;
      const end = src.indexOf(close, i + 2 + hashes.length);
      const stop = end === -1 ? src.length : end + close.length;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += blank(src.slice(i, j + 1));
      i = j + 1;
    } else if (c === "'") {
      // A char literal ('a', '\n', '\u{..}'), else a lifetime or label: keep it.
      const m = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/.exec(src.slice(i, i + 12));
      if (m) {
        out += blank(m[0]);
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const lineAt = (src, index) => src.slice(0, index).split('\n').length;

/** Expands a `use` tree (the text between `use` and `;`) into full paths (arrays of segments). */
export function expandUseTree(tree) {
  const paths = [];
  const walk = (prefix, s) => {
    const brace = s.indexOf('{');
    if (brace === -1) {
      paths.push([...prefix, ...s.split('::').filter(Boolean)]);
      return;
    }
    const head = s.slice(0, brace).split('::').filter(Boolean);
    const inner = s.slice(brace + 1, s.lastIndexOf('}'));
    let depth = 0;
    let start = 0;
    for (let k = 0; k <= inner.length; k++) {
      const ch = inner[k];
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (k === inner.length || (ch === ',' && depth === 0)) {
        const part = inner.slice(start, k);
        if (part) walk([...prefix, ...head], part);
        start = k + 1;
      }
    }
  };
  walk([], tree.replace(/\s+as\s+[A-Za-z_]\w*/g, '').replace(/\s+/g, ''));
  return paths;
}

/** Module node: { path: string[], file, children: Map, reexports: Map<name, string[]>, refs: [] } */
function newModule(path, file) {
  return { path, file, children: new Map(), reexports: new Map(), refs: [] };
}

/**
 * Parses one file's (already stripped) text into `mod`, starting at offset `from` and
 * stopping at the `}` that closes an inline module (or the end of the file).
 */
function parseBody(crate, mod, file, text, from, dir) {
  const token =
    /\b(?:pub(?:\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*([;{])|\buse\s+([^;]+);|\b((?:crate|super|self)(?:\s*::\s*[A-Za-z_]\w*)+)|([{}])/g;
  token.lastIndex = from;
  let depth = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[5] === '{') depth++;
    else if (m[5] === '}') {
      if (depth === 0) return token.lastIndex;
      depth--;
    } else if (m[1]) {
      const name = m[1];
      const child = newModule([...mod.path, name], file);
      mod.children.set(name, child);
      if (m[2] === ';') {
        const candidates = [join(dir, `${name}.rs`), join(dir, name, 'mod.rs')];
        const childFile = candidates.find((f) => existsSync(f));
        if (!childFile) {
          throw new Error(`${relative(crate.root, file)}: module file for \`mod ${name};\` not found`);
        }
        child.file = childFile;
        parseFile(crate, child, childFile, join(dir, name));
      } else {
        token.lastIndex = parseBody(crate, child, file, text, token.lastIndex, join(dir, name));
      }
    } else if (m[3] !== undefined) {
      const isPub = /\bpub(?:\([^)]*\))?\s+$/.test(text.slice(Math.max(0, m.index - 20), m.index));
      const line = lineAt(text, m.index);
      for (const path of expandUseTree(m[3])) {
        if (isPub && path.length > 0) mod.reexports.set(path[path.length - 1], path);
        mod.refs.push({ path, line, file });
      }
    } else if (m[4]) {
      mod.refs.push({ path: m[4].split(/\s*::\s*/), line: lineAt(text, m.index), file });
    }
  }
  return text.length;
}

function parseFile(crate, mod, file, dir) {
  const raw = readFileSync(file, 'utf8');
  parseBody(crate, mod, file, stripRust(raw), 0, dir);
}

/** Absolute module path (segments) a reference `path` made in module `from` points into, or null. */
function resolvePath(root, from, path, seen = new Set()) {
  let base;
  let rest;
  const [first] = path;
  if (first === 'crate') {
    base = [];
    rest = path.slice(1);
  } else if (first === 'super' || first === 'self') {
    base = [...from.path];
    let k = 0;
    while (path[k] === 'super' || path[k] === 'self') {
      if (path[k] === 'super') base.pop();
      k++;
    }
    rest = path.slice(k);
  } else {
    // A path through a child module named in this module (`use a::b` in a parent, or a
    // module brought into scope); anything else is an external crate or a local item.
    if (!from.children.has(first)) return null;
    base = [...from.path];
    rest = path;
  }
  let node = root;
  for (const seg of base) node = node.children.get(seg);
  for (let k = 0; k < rest.length; k++) {
    const seg = rest[k];
    if (node.children.has(seg)) {
      node = node.children.get(seg);
      continue;
    }
    // An item re-exported by this module (`pub use x::Item`): follow it once.
    const target = node.reexports.get(seg);
    const key = `${node.path.join('::')}::${seg}`;
    if (target && !seen.has(key)) {
      seen.add(key);
      const resolved = resolvePath(root, node, target, seen);
      if (resolved) return resolved;
    }
    break;
  }
  return node.path;
}

/** Parses a crate rooted at `rootFile` into its module tree. */
export function parseCrate(rootFile, name) {
  const crate = { root: dirname(rootFile), name };
  const root = newModule([], rootFile);
  parseFile(crate, root, rootFile, dirname(rootFile));
  return root;
}

function allModules(mod, out = []) {
  out.push(mod);
  for (const child of mod.children.values()) allModules(child, out);
  return out;
}

/** Sibling dependency graphs: Map<parentPath, Map<child, Map<child, evidence>>>. */
export function moduleGraphs(root) {
  const graphs = new Map();
  for (const mod of allModules(root)) {
    for (const ref of mod.refs) {
      const target = resolvePath(root, mod, ref.path);
      if (!target) continue;
      const source = mod.path;
      let common = 0;
      while (common < source.length && common < target.length && source[common] === target[common]) common++;
      // One is an ancestor of the other (or the same module): containment.
      if (common === source.length || common === target.length) continue;
      const parent = source.slice(0, common).join('::');
      const from = source[common];
      const to = target[common];
      if (!graphs.has(parent)) graphs.set(parent, new Map());
      const graph = graphs.get(parent);
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from).has(to)) graph.get(from).set(to, `${ref.file}:${ref.line}`);
    }
  }
  return graphs;
}

/** Every elementary cycle found by a depth-first search (one per back edge), as node lists. */
export function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** Crate roots of the workspace at `root`: [{ name, file }]. */
export function crateRoots(root) {
  const manifest = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const members = /\bmembers\s*=\s*\[([^\]]*)\]/.exec(manifest)?.[1] ?? '';
  const dirs = [];
  for (const [, pattern] of members.matchAll(/"([^"]+)"/g)) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent).sort()) {
        const dir = join(parent, entry);
        if (statSync(dir).isDirectory() && existsSync(join(dir, 'Cargo.toml'))) dirs.push(dir);
      }
    } else dirs.push(join(root, pattern));
  }
  if (dirs.length === 0 && /^\s*\[package\]/m.test(manifest)) dirs.push(root);
  const roots = [];
  for (const dir of dirs) {
    const name = /^\s*name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(dir, 'Cargo.toml'), 'utf8'))?.[1] ?? dir;
    for (const main of ['src/lib.rs', 'src/main.rs']) {
      const file = join(dir, main);
      if (existsSync(file)) roots.push({ name: `${name} (${main})`, file });
    }
    const bin = join(dir, 'src/bin');
    if (existsSync(bin)) {
      for (const entry of readdirSync(bin).sort()) {
        const file = entry.endsWith('.rs') ? join(bin, entry) : join(bin, entry, 'main.rs');
        if (existsSync(file)) roots.push({ name: `${name} (src/bin/${entry})`, file });
      }
    }
  }
  return roots;
}

/** Checks every crate of the workspace at `root`; returns the list of cycle descriptions. */
export function checkWorkspace(root) {
  const problems = [];
  for (const { name, file } of crateRoots(root)) {
    const graphs = moduleGraphs(parseCrate(file, name));
    for (const [parent, graph] of graphs) {
      for (const cycle of findCycles(graph)) {
        const scope = parent ? `${parent}::` : '';
        const steps = cycle
          .slice(0, -1)
          .map(
            (from, k) =>
              `  ${scope}${from} → ${scope}${cycle[k + 1]}  (${relative(root, graph.get(from).get(cycle[k + 1]))})`,
          );
        problems.push(
          `${name}: module cycle ${cycle.map((m) => scope + m).join(' → ')}\n${steps.join('\n')}`,
        );
      }
    }
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const print = args.includes('--print');
  const dir = args.find((a) => !a.startsWith('--'));
  const root = resolve(dir ?? join(dirname(fileURLToPath(import.meta.url)), '../..'));
  if (print) {
    for (const { name, file } of crateRoots(root)) {
      for (const [parent, graph] of moduleGraphs(parseCrate(file, name))) {
        console.log(`${name} ${parent || 'crate'}:`);
        for (const [from, tos] of [...graph].sort())
          console.log(`  ${from} → ${[...tos.keys()].sort().join(', ')}`);
      }
    }
  }
  const problems = checkWorkspace(root);
  if (problems.length > 0) {
    console.error(`Rust module cycles (make the dependencies one-way):\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`no Rust module cycles in ${crateRoots(root).length} crate roots`);
}
