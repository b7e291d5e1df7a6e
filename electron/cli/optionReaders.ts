// Value checks shared by the option tables. Each message names the option, says what it must be
// and shows what it got, so `--rate -5` reads "--rate must be a positive number, got -5".
import path from 'node:path';
import { UsageError } from './optionTable.ts';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

/** The value as typed: bare when it is one plain word, quoted when quoting makes it readable. */
export function shown(raw: string): string {
  return /^[^\s"'\\]+$/.test(raw) ? raw : JSON.stringify(raw);
}

export function positiveNumber(raw: string, flag: string): number {
  const n = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number, got ${shown(raw)}`);
  }
  return n;
}

export function positiveInteger(raw: string, flag: string): number {
  const n = Number(raw);
  if (!INTEGER.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive integer, got ${shown(raw)}`);
  }
  return n;
}

export function integerFrom(min: number, max: number): (raw: string, flag: string) => number {
  return (raw, flag) => {
    const n = Number(raw);
    if (!INTEGER.test(raw) || n < min || n > max) {
      throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${shown(raw)}`);
    }
    return n;
  };
}

export function numberFrom(min: number, max: number, unit: string): (raw: string, flag: string) => number {
  return (raw, flag) => {
    const n = Number(raw);
    if (!DECIMAL.test(raw) || n < min || n > max) {
      throw new UsageError(`${flag} must be a number of ${unit} from ${min} to ${max}, got ${shown(raw)}`);
    }
    return n;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): (raw: string, flag: string) => T {
  return (raw, flag) => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got ${shown(raw)}`);
    }
    return raw as T;
  };
}

/** A folder or file argument, made absolute against the working directory. */
export function pathValue(raw: string, flag: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} is empty: give a folder`);
  return path.resolve(raw);
}

export function text(raw: string, flag: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} is empty`);
  return raw;
}
