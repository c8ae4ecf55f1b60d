import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** How a value is written on the command line; `--help` shows it and the parser treats `boolean` as a switch. */
export type OptionKind =
  | 'string'
  | 'int'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'path'
  | 'url'
  | 'custom';

/**
 * One setting of an app. Its flag name is its key in the schema (dotted, Bittensor style: `wallet.name`); its
 * env var is `OMRON_<FLAG>` (dots and dashes → `_`, upper case) plus the names in `env`.
 *
 * `HasDefault` is true when the option always has a value (a default, or a switch), so the loaded value's type
 * has no `undefined`.
 */
export interface Option<T = unknown, HasDefault extends boolean = boolean> {
  readonly kind: OptionKind;
  readonly help: string;
  /** What `--help` writes after the flag (`N`, `DIR`, `a|b`); none for a switch. */
  readonly placeholder: string | undefined;
  /** Parses a raw value: a string from a flag or env var, or a JSON value from the config file or code. */
  readonly schema: z.ZodType<T>;
  readonly hasDefault: HasDefault;
  readonly default: T | undefined;
  /** What `--help` shows as the default when it is computed elsewhere (e.g. "miner on local, else default"). */
  readonly defaultText: string | undefined;
  /** More env var names, read after `OMRON_<FLAG>`: the SDK's `BT_*` where Bittensor users expect them. */
  readonly env: readonly string[];
  /** Old flag names still accepted (deprecated: a warning names the new one). */
  readonly aliases: readonly string[];
  /** Never printed: not in `--help` (no default shown), not in error messages, masked by `redact`. */
  readonly secret: boolean;
  /** The `--help` section; shared groups set it, see `group()`. */
  readonly group: string | undefined;
}

/** What every builder takes. `default` is the value when no source sets one. */
export interface OptionInit<T> {
  help: string;
  default?: T;
  defaultText?: string;
  env?: readonly string[];
  aliases?: readonly string[];
  secret?: boolean;
  group?: string;
  placeholder?: string;
}

type Built<T, I> = Option<T, I extends { default: unknown } ? true : false>;

function build<T, I extends OptionInit<T>>(
  kind: OptionKind,
  schema: z.ZodType<T>,
  init: I,
  placeholder: string | undefined,
  normalizeDefault: (value: T) => T = (v) => v,
): Built<T, I> {
  const hasDefault = init.default !== undefined;
  return {
    kind,
    help: init.help,
    placeholder: init.placeholder ?? placeholder,
    schema,
    hasDefault: hasDefault as Built<T, I>['hasDefault'],
    default: hasDefault ? normalizeDefault(init.default as T) : undefined,
    defaultText: init.defaultText,
    env: init.env ?? [],
    aliases: init.aliases ?? [],
    secret: init.secret ?? false,
    group: init.group,
  };
}

/** Why a raw value was refused (a class, so no parsed value can be mistaken for it). */
class Invalid {
  constructor(readonly message: string) {}
}

const issue = (message: string) => new Invalid(message);

/** A value the parser turns into a `T` or refuses with a message. */
function parser<T>(parse: (raw: unknown) => T | Invalid): z.ZodType<T> {
  return z.unknown().transform((raw, ctx) => {
    const out = parse(raw);
    if (out instanceof Invalid) {
      ctx.addIssue({ code: 'custom', message: out.message });
      return z.NEVER;
    }
    return out;
  }) as unknown as z.ZodType<T>;
}

function text(raw: unknown): string | Invalid {
  if (typeof raw !== 'string') return issue(`must be a string, not ${describeType(raw)}`);
  const value = raw.trim();
  return value === '' ? issue('must not be empty') : value;
}

function describeType(raw: unknown): string {
  return raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
}

/** `~` and `~/x` are the user's home (shells expand them, config files and env vars do not); then absolute. */
export function expandPath(path: string): string {
  return resolve(path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path);
}

function numeric(
  raw: unknown,
  integer: boolean,
  min: number | undefined,
  max: number | undefined,
): number | Invalid {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim() !== '') value = Number(raw.trim());
  else return issue(`must be ${integer ? 'an integer' : 'a number'}`);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return issue(`must be ${integer ? 'an integer' : 'a number'}`);
  }
  if (min !== undefined && value < min) return issue(`must be ≥ ${min}`);
  if (max !== undefined && value > max) return issue(`must be ≤ ${max}`);
  return value;
}

const TRUE = new Set(['true', '1', 'yes', 'on', '']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** The words a switch takes as an explicit value (`--x false`, `OMRON_X=0`). */
export function isBooleanWord(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v !== '' && (TRUE.has(v) || FALSE.has(v));
}

interface RangeInit<T> extends OptionInit<T> {
  min?: number;
  max?: number;
}

interface UrlInit extends OptionInit<string> {
  /** Allowed schemes without `:`, e.g. `['ws', 'wss']`; default any. */
  protocols?: readonly string[];
}

/** The option builders. Each returns an {@link Option}; put them in a schema under their flag name. */
export const opt = {
  string<const I extends OptionInit<string>>(init: I): Built<string, I> {
    return build('string', parser(text), init, 'TEXT');
  },

  int<const I extends RangeInit<number>>(init: I): Built<number, I> {
    return build(
      'int',
      parser((raw) => numeric(raw, true, init.min, init.max)),
      init,
      'N',
    );
  },

  number<const I extends RangeInit<number>>(init: I): Built<number, I> {
    return build(
      'number',
      parser((raw) => numeric(raw, false, init.min, init.max)),
      init,
      'X',
    );
  },

  /** A switch: `--x` alone is true; `--x false`, `--x=0`, `OMRON_X=no` turn it off. Default false. */
  boolean<const I extends OptionInit<boolean>>(init: I): Option<boolean, true> {
    const schema = parser((raw) => {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string') {
        const v = raw.trim().toLowerCase();
        if (TRUE.has(v)) return true;
        if (FALSE.has(v)) return false;
      }
      return issue('must be true or false (also 1/0, yes/no, on/off)');
    });
    return build('boolean', schema, { ...init, default: init.default ?? false }, undefined);
  },

  enum<const V extends readonly [string, ...string[]], const I extends OptionInit<V[number]>>(
    values: V,
    init: I,
  ): Built<V[number], I> {
    const schema = parser((raw) => {
      const value = typeof raw === 'string' ? raw.trim() : raw;
      return typeof value === 'string' && (values as readonly string[]).includes(value)
        ? (value as V[number])
        : issue(`must be one of ${values.join(' | ')}`);
    });
    return build('enum', schema, init, values.join('|'));
  },

  /** Comma-separated on the command line and in env vars; a JSON list or a string in the config file. */
  list<const I extends OptionInit<string[]>>(init: I): Built<string[], I> {
    const schema = parser((raw) => {
      const items = typeof raw === 'string' ? raw.split(',') : raw;
      if (!Array.isArray(items) || items.some((x) => typeof x !== 'string')) {
        return issue('must be a comma-separated list');
      }
      return (items as string[]).map((x) => x.trim()).filter(Boolean);
    });
    return build('list', schema, init, 'A,B');
  },

  /** A file or directory: `~` expanded, made absolute (relative to the working directory). */
  path<const I extends OptionInit<string>>(init: I): Built<string, I> {
    const schema = parser((raw) => {
      const value = text(raw);
      return typeof value === 'string' ? expandPath(value) : value;
    });
    return build('path', schema, init, 'PATH', expandPath);
  },

  url<const I extends UrlInit>(init: I): Built<string, I> {
    const schema = parser((raw) => {
      const value = text(raw);
      if (typeof value !== 'string') return value;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return issue('must be a URL');
      }
      const scheme = url.protocol.slice(0, -1);
      if (init.protocols && !init.protocols.includes(scheme)) {
        return issue(`must be a ${init.protocols.map((p) => `${p}://`).join(' or ')} URL`);
      }
      return value;
    });
    return build('url', schema, init, 'URL');
  },

  /** Any zod schema, for a value the builders above do not cover; it receives the raw value (often a string). */
  custom<T, const I extends OptionInit<T>>(schema: z.ZodType<T>, init: I): Built<T, I> {
    return build('custom', schema, init, 'VALUE');
  },
};

/** Puts every option of `options` in the `--help` section `title` (keeps a group an option already has). */
export function group<const S extends Record<string, Option>>(title: string, options: S): S {
  return Object.fromEntries(
    Object.entries(options).map(([flag, o]) => [flag, { ...o, group: o.group ?? title }]),
  ) as S;
}
