import { homedir } from 'node:os';
import type { Option } from './option.js';
import { envName, envNamesOf, type Schema } from './schema.js';

export interface HelpSpec {
  app: string;
  schema: Schema;
  legacyEnvPrefixes: readonly string[];
  /** Text after the options (notes, examples). */
  epilog?: string | undefined;
}

const FLAG_COLUMN = 34;

/**
 * The `--help` text, generated from the schema: one section per group (in order of first appearance), each
 * option with its value placeholder, help, default and env names. A secret's default is never shown.
 */
export function formatHelp(spec: HelpSpec): string {
  const sections = new Map<string, string[]>();
  const add = (title: string, lines: string[]) => {
    sections.set(title, [...(sections.get(title) ?? []), ...lines]);
  };
  add('General', [
    ...row('--config FILE', 'JSON config file, nested or dotted keys', [envName('config')]),
    ...row('--help', 'show this help', []),
  ]);
  for (const [flag, option] of Object.entries(spec.schema)) {
    const envs = envNamesOf(flag, option, spec.legacyEnvPrefixes)
      .filter((e) => !e.deprecated)
      .map((e) => e.name);
    const head = option.placeholder === undefined ? `--${flag}` : `--${flag} ${option.placeholder}`;
    const aliases =
      option.aliases.length > 0 ? ` (was ${option.aliases.map((a) => `--${a}`).join(', ')})` : '';
    add(option.group ?? 'General', row(head, `${option.help}${describeDefault(option)}${aliases}`, envs));
  }
  const legacy =
    spec.legacyEnvPrefixes.length > 0
      ? ` The old names ${spec.legacyEnvPrefixes.map((p) => `${p}<FLAG>`).join(', ')} still work (deprecated).`
      : '';
  const out = [
    `Usage: ${spec.app} [flags]`,
    '',
    'Each flag is --name value or --name=value; a switch stands alone. It is also read from the environment',
    '(OMRON_<FLAG>: dots and dashes become _, upper case, e.g. --wallet.name → OMRON_WALLET_NAME; Bittensor',
    `users' BT_* names where listed) and from a --config file. Flags win over the environment, the environment`,
    `over the file, the file over the defaults.${legacy}`,
  ];
  for (const [title, lines] of sections) out.push('', `${title}:`, ...lines);
  if (spec.epilog) out.push('', spec.epilog.trimEnd());
  return `${out.join('\n')}\n`;
}

function row(head: string, help: string, envs: readonly string[]): string[] {
  const first =
    head.length + 2 < FLAG_COLUMN
      ? [`  ${head.padEnd(FLAG_COLUMN - 2)}${help}`]
      : [`  ${head}`, `${' '.repeat(FLAG_COLUMN)}${help}`];
  return envs.length === 0 ? first : [...first, `${' '.repeat(FLAG_COLUMN)}env: ${envs.join(', ')}`];
}

function describeDefault(option: Option): string {
  if (option.secret) return '';
  if (option.defaultText !== undefined) return ` (default: ${option.defaultText})`;
  if (option.kind === 'boolean') return option.default === true ? ' (default: on)' : '';
  if (!option.hasDefault) return '';
  const value = option.default;
  const text = Array.isArray(value)
    ? value.join(',')
    : typeof value === 'string' && option.kind === 'path'
      ? tildify(value)
      : String(value);
  return ` (default: ${text})`;
}

/** `/home/op/.omron/cache` → `~/.omron/cache`: what the operator would type, the same on every machine. */
function tildify(path: string): string {
  const home = homedir();
  return path === home ? '~' : path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** One line for errors: `Usage: app [flags]; flags: --a --b … (app --help explains each)`. */
export function usageLine(app: string, schema: Schema): string {
  const flags = ['config', 'help', ...Object.keys(schema)].map((f) => `--${f}`).join(' ');
  return `Usage: ${app} [flags]; flags: ${flags} (\`${app} --help\` explains each)`;
}
