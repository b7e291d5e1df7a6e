// One table per command describes its options: the parser reads argv from it and the help text
// is printed from it, so an option cannot be accepted without being documented with its default,
// nor documented without being accepted.

/** A command line that cannot be run: exit code 2, with the message and the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliOption<T> {
  /** Placeholder of the value in the help (`DIR`); null for a flag that takes no value. */
  readonly arg: string | null;
  /** One-letter alias (`h` for `-h`). */
  readonly short?: string;
  readonly help: string;
  /** The value when the option is not given. */
  readonly default: T;
  /** How the help states the default when `String(default)` would not say it (env, computed). */
  readonly defaultText?: string;
  /** Converts and checks a value; throws UsageError naming `flag` and what it got. */
  readonly read: (raw: string, flag: string) => T;
  /** When set, the value may be left out (`--preview` alone) and this is used instead. */
  readonly bare?: T;
}

export type OptionTable = Record<string, CliOption<unknown>>;

export type OptionValues<T extends OptionTable> = {
  -readonly [K in keyof T]: T[K] extends CliOption<infer V> ? V : never;
};

/** Only there to infer T from the literal; the table itself is plain data. */
export function option<T>(o: CliOption<T>): CliOption<T> {
  return o;
}

/** A switch: absent means off. */
export function flag(help: string, short?: string): CliOption<boolean> {
  return { arg: null, short, help, default: false, read: () => true };
}

/** What the help shows as an option's default. */
export function defaultShown(o: CliOption<unknown>): string {
  return o.defaultText ?? String(o.default);
}

/**
 * A value may start with `-` only when it is a number (`--rate -5`, `--server-offset-hours -5`),
 * so that a negative number reaches the option's own check ("must be a positive number") instead
 * of being taken for an option, while `--data-dir --port` still says --data-dir needs a value.
 */
function canBeValue(next: string | undefined): next is string {
  return next !== undefined && (!next.startsWith('-') || /^-\.?\d/.test(next));
}

/** Parses `--name value`, `--name=value`, flags and `-h`; anything else is a UsageError. */
export function parseOptions<T extends OptionTable>(table: T, argv: readonly string[]): OptionValues<T> {
  const byName = new Map<string, [string, CliOption<unknown>]>();
  const values: Record<string, unknown> = {};
  for (const [key, o] of Object.entries(table)) {
    byName.set(`--${key}`, [key, o]);
    if (o.short) byName.set(`-${o.short}`, [key, o]);
    values[key] = o.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (every option starts with --)`);
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const found = byName.get(name);
    if (!found) throw new UsageError(`unknown option ${JSON.stringify(name)}`);
    const [key, o] = found;
    const flagName = `--${key}`;
    if (o.arg === null) {
      if (inline !== undefined) throw new UsageError(`${flagName} takes no value`);
      values[key] = o.read('', flagName);
    } else if (inline !== undefined) {
      values[key] = o.read(inline, flagName);
    } else if (canBeValue(argv[i + 1])) {
      values[key] = o.read(argv[++i], flagName);
    } else if (o.bare !== undefined) {
      values[key] = o.bare;
    } else {
      throw new UsageError(`${flagName} needs a value (${o.arg})`);
    }
  }
  return values as OptionValues<T>;
}
