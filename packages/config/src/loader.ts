import { parseArgv } from './argv.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { flattenSettings, readConfigFile } from './file.js';
import { formatHelp, usageLine } from './help.js';
import { expandPath } from './option.js';
import { envName, envNamesOf, flagIndex, type Schema, type Values } from './schema.js';

export interface ConfigSpec<S extends Schema> {
  /** The command's name: `Usage: <app> [flags]`, "invalid <app> configuration". */
  app: string;
  schema: S;
  /**
   * Old per-app env prefixes still read, deprecated (`['OMRON_MINER_']`): after `OMRON_<FLAG>`, before the
   * `BT_*` names. `<prefix>CONFIG` names the config file too.
   */
  legacyEnvPrefixes?: readonly string[];
  /** Rules across options (e.g. "TLS needs both files"), checked once every value parsed. */
  check?: (values: Values<S>) => readonly ConfigIssue[];
  /** Text after the options in `--help`. */
  epilog?: string;
}

/** What {@link ConfigLoader.load} found: `--help` asked, or the values (and warnings to print). */
export type LoadResult<S extends Schema> =
  | { help: true }
  | {
      help: false;
      values: Values<S>;
      /** Deprecated names used, env vars that disagree; never a value. The app prints them at start. */
      warnings: string[];
    };

export interface ConfigLoader<S extends Schema> {
  readonly app: string;
  readonly schema: S;
  /**
   * Flags > env vars > `--config` file (or `OMRON_CONFIG`) > defaults. Throws a {@link ConfigError} naming every
   * bad value; `--help` anywhere wins over everything else.
   */
  load(argv: readonly string[], env?: NodeJS.ProcessEnv): LoadResult<S>;
  /** Validates settings given in code (nested or dotted keys, typed or string values) with the same rules. */
  fromObject(input: Record<string, unknown>): Values<S>;
  /** The generated `--help` text. */
  usage(): string;
  /** Every env var that sets `flag`, in the order they are read (deprecated names last but `BT_*`). */
  envNames(flag: string): string[];
  /**
   * The same loader with more options (a subcommand's, e.g. the doctor's `--json`), same rules and env names.
   * @example const doctor = minerConfigLoader.extend({ app: 'miner doctor', schema: DOCTOR_OPTIONS });
   */
  extend<const E extends Schema>(extra: { app?: string; schema: E; epilog?: string }): ConfigLoader<S & E>;
}

type Sourced = { raw: unknown; source: string | undefined };

/** Builds an app's loader from its schema (shared groups spread in, plus its own options). */
export function defineConfig<const S extends Schema>(spec: ConfigSpec<S>): ConfigLoader<S> {
  const { app, schema } = spec;
  const legacy = spec.legacyEnvPrefixes ?? [];
  const index = flagIndex(schema);
  const byEnv = new Map<string, string>();
  for (const [flag, option] of Object.entries(schema)) {
    const name = envName(flag);
    const clash = byEnv.get(name);
    if (clash !== undefined) throw new TypeError(`config schema: --${clash} and --${flag} share ${name}`);
    byEnv.set(name, flag);
    if (option.hasDefault && option.default !== undefined) {
      const ok = option.schema.safeParse(option.default);
      if (!ok.success) throw new TypeError(`config schema: the default of --${flag} is not a valid value`);
    }
  }
  const usage = () => formatHelp({ app, schema, legacyEnvPrefixes: legacy, epilog: spec.epilog });

  /** Parses each option from its highest-precedence source; collects every issue, then throws once. */
  function finish(merged: Map<string, Sourced>, issues: ConfigIssue[]): Values<S> {
    const values: Record<string, unknown> = {};
    for (const [flag, option] of Object.entries(schema)) {
      const given = merged.get(flag);
      if (given === undefined) {
        values[flag] = option.default;
        continue;
      }
      const parsed = option.schema.safeParse(given.raw);
      if (parsed.success) values[flag] = parsed.data;
      else {
        const message =
          option.secret && option.kind === 'custom'
            ? 'invalid value (not shown: secret)'
            : parsed.error.issues.map((i) => i.message).join('; ');
        issues.push({ flag, message, ...(given.source ? { source: given.source } : {}) });
      }
    }
    if (issues.length === 0 && spec.check) issues.push(...spec.check(values as Values<S>));
    if (issues.length > 0) {
      throw new ConfigError(
        'INVALID_CONFIG',
        `invalid ${app} configuration:\n${issues.map(formatIssue).join('\n')}`,
        {
          issues,
        },
      );
    }
    return values as Values<S>;
  }

  return {
    app,
    schema,
    usage,
    extend: (extra) =>
      defineConfig({
        ...spec,
        app: extra.app ?? app,
        schema: { ...schema, ...extra.schema },
        ...(extra.epilog === undefined ? {} : { epilog: extra.epilog }),
        // The base rules read only the base options, which the extended values still hold.
        ...(spec.check
          ? { check: spec.check as (values: Values<S & typeof extra.schema>) => readonly ConfigIssue[] }
          : {}),
      }),
    envNames: (flag) => {
      const option = schema[flag];
      if (option === undefined) throw new TypeError(`no option --${flag}`);
      return envNamesOf(flag, option, legacy).map((e) => e.name);
    },

    load(argv, env = process.env) {
      const cli = parseArgv(argv, schema, index, usageLine(app, schema));
      if (cli.help) return { help: true };
      const warnings = cli.aliasesUsed.map(([alias, flag]) => `--${alias} is deprecated; use --${flag}`);
      const merged = new Map<string, Sourced>();
      const issues: ConfigIssue[] = [];

      const fileEnv = [envName('config'), ...legacy.map((p) => envName('config', p))].find((n) => env[n]);
      const file = cli.configFile ?? (fileEnv ? env[fileEnv] : undefined);
      if (cli.configFile === undefined && fileEnv !== undefined && fileEnv !== envName('config')) {
        warnings.push(`${fileEnv} is deprecated; use ${envName('config')}`);
      }
      if (file) {
        const path = expandPath(file);
        const settings = flattenSettings(readConfigFile(path), index, `file ${path}`);
        for (const [flag, raw] of settings.values) merged.set(flag, { raw, source: `file ${path}` });
        issues.push(...settings.issues);
        for (const [alias, flag] of settings.aliasesUsed) {
          warnings.push(`${path}: key ${alias} is deprecated; use ${flag}`);
        }
      }

      for (const [flag, option] of Object.entries(schema)) {
        const set = envNamesOf(flag, option, legacy).filter(
          ({ name }) => env[name] !== undefined && env[name] !== '',
        );
        const chosen = set[0];
        if (chosen === undefined) continue;
        merged.set(flag, { raw: env[chosen.name], source: `env ${chosen.name}` });
        if (chosen.deprecated) warnings.push(`${chosen.name} is deprecated; use ${envName(flag)}`);
        const differ = set.filter((e) => e !== chosen && env[e.name] !== env[chosen.name]).map((e) => e.name);
        if (differ.length > 0) warnings.push(`${chosen.name} overrides ${differ.join(', ')} (they differ)`);
      }

      for (const [flag, raw] of cli.flags) merged.set(flag, { raw, source: undefined });
      return { help: false, values: finish(merged, issues), warnings };
    },

    fromObject(input) {
      const settings = flattenSettings(input, index, 'settings');
      const merged = new Map<string, Sourced>();
      for (const [flag, raw] of settings.values) merged.set(flag, { raw, source: undefined });
      return finish(merged, settings.issues);
    },
  };
}

function formatIssue(issue: ConfigIssue): string {
  return `  --${issue.flag}: ${issue.message}${issue.source ? ` (${issue.source})` : ''}`;
}

/** A copy of `values` safe to log: secrets replaced by `***`. */
export function redact<S extends Schema>(schema: S, values: Values<S>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([flag, value]) => [
      flag,
      schema[flag]?.secret && value !== undefined ? '***' : value,
    ]),
  );
}
