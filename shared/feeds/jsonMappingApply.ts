// Applies a JSON field mapping to messages: the generic WebSocket feed calls it for every message,
// and the feed form's live preview calls it on the last messages with the mapping being edited,
// so what the preview shows is exactly what the feed will record. Pure: runs in the browser too.
//
// What a message yields:
// - `skipped`: the `match` did not hold (heartbeat, subscription ack): no ticks and no error.
// - a tick per message (or per list element), or an error naming why not. Errors carry stable
//   reasons that the feed counts: see MAPPING_ERROR_REASONS.
// Required fields (symbol, bid, ask, and time when a time path is set) must be present; optional
// ones (sizes, source, sequence) may be absent or null, but when present must be usable, or the
// tick is dropped: a present-but-garbled field means the message is not what the mapping expects.
import { z } from 'zod';
import type { JsonMapping, JsonPathSegment, ParsedJsonPath, TimeUnit } from './jsonMapping.ts';
import { JSON_MAPPING_SCHEMA, JsonPathSyntaxError, parseJsonPath } from './jsonMapping.ts';

/** Every reason a message (or list element) yields no tick; each is counted separately. */
export const MAPPING_ERROR_REASONS = [
  'not_json',
  'list_not_array',
  'path_missing:list',
  'path_missing:symbol',
  'path_missing:bid',
  'path_missing:ask',
  'path_missing:time',
  'not_a_string:symbol',
  'not_a_string:source',
  'not_a_number:bid',
  'not_a_number:ask',
  'not_a_number:bidSize',
  'not_a_number:askSize',
  'not_a_number:sequence',
  'sequence_invalid',
  'time_invalid',
  'time_out_of_range',
] as const;
export type MappingErrorReason = (typeof MAPPING_ERROR_REASONS)[number];

export interface MappingError {
  reason: MappingErrorReason;
  /** The configured path that failed (as written), or '' for the message as a whole. */
  path: string;
  /** What was found, for a person; short. */
  detail: string;
}

/** A tick as the mapping reads it; shaped like TickInput so a feed can hand it on as it is. */
export interface MappedTick {
  symbol: string;
  bid: number;
  ask: number;
  bidSize?: number;
  askSize?: number;
  /** Exchange time in µs, or the receive time when the mapping has no time path. */
  tsUs: number;
  recvUs: number;
  noExchangeTime: boolean;
  /** From the mapping's source path; undefined: the feed's own source. */
  source?: string;
  seq?: number;
}

export interface MappingResult {
  ticks: MappedTick[];
  /** The match did not hold: not a tick message (heartbeat, ack); not an error. */
  skipped: boolean;
  errors: MappingError[];
}

/** A list message with more bad elements than this reports only the first ones. */
export const MAX_ERRORS_PER_MESSAGE = 20;

/** Times outside this window are almost always the wrong unit (seconds read as ms...). */
export const PLAUSIBLE_TIME_US = { min: Date.UTC(1980, 0, 1) * 1000, max: Date.UTC(2200, 0, 1) * 1000 };

interface CompiledPath {
  text: string;
  fromRoot: boolean;
  keys: string[];
  indexes: number[];
  /** The key is also a property every object inherits (`constructor`...): look it up as own only. */
  guarded: boolean[];
  /** Which steps are `*` (list paths only). */
  each: boolean[];
  hasEach: boolean;
}

export interface CompiledMapping {
  readonly mapping: JsonMapping;
  readonly list: CompiledPath | null;
  readonly symbol: CompiledPath;
  readonly bid: CompiledPath;
  readonly ask: CompiledPath;
  readonly bidSize: CompiledPath | null;
  readonly askSize: CompiledPath | null;
  readonly time: CompiledPath | null;
  readonly timeUnit: TimeUnit;
  readonly source: CompiledPath | null;
  readonly sequence: CompiledPath | null;
  readonly match: { path: CompiledPath; equals: string | number | boolean } | null;
}

function compilePath(p: ParsedJsonPath): CompiledPath {
  const segs: JsonPathSegment[] = p.segments;
  return {
    text: p.text,
    fromRoot: p.fromRoot,
    keys: segs.map((s) => s.key),
    indexes: segs.map((s) => s.index),
    guarded: segs.map((s) => s.key in Object.prototype),
    each: segs.map((s) => s.each),
    hasEach: segs.some((s) => s.each),
  };
}

/**
 * Splits every path once. Takes a mapping that passed JSON_MAPPING_SCHEMA (a feed config does);
 * throws JsonPathSyntaxError for a bad path if it did not.
 */
export function compileJsonMapping(mapping: JsonMapping): CompiledMapping {
  const opt = (p: string | undefined) => (p === undefined ? null : compilePath(parseJsonPath(p)));
  return {
    mapping,
    list: mapping.list === undefined ? null : compilePath(parseJsonPath(mapping.list, true)),
    symbol: compilePath(parseJsonPath(mapping.symbol)),
    bid: compilePath(parseJsonPath(mapping.bid)),
    ask: compilePath(parseJsonPath(mapping.ask)),
    bidSize: opt(mapping.bidSize),
    askSize: opt(mapping.askSize),
    time: opt(mapping.time),
    timeUnit: mapping.timeUnit,
    source: opt(mapping.source),
    sequence: opt(mapping.sequence),
    match: mapping.match
      ? { path: compilePath(parseJsonPath(mapping.match.path)), equals: mapping.match.equals }
      : null,
  };
}

function resolve(p: CompiledPath, value: unknown): unknown {
  const keys = p.keys;
  let cur = value;
  for (let i = 0; i < keys.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      const ix = p.indexes[i];
      if (ix < 0) return undefined;
      cur = cur[ix];
    } else {
      const key = keys[i];
      if (p.guarded[i] && !Object.hasOwn(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

/**
 * Resolves a path with `*` steps; the arrays found at its end are joined into `out`. Every
 * branch must end in an array: one that does not makes the whole list malformed.
 */
function resolveEach(p: CompiledPath, value: unknown, from: number, out: unknown[]): boolean {
  let cur = value;
  for (let i = from; i < p.keys.length; i++) {
    if (cur === null || typeof cur !== 'object') return false;
    if (p.each[i]) {
      if (!Array.isArray(cur)) return false;
      for (const el of cur) if (!resolveEach(p, el, i + 1, out)) return false;
      return true;
    }
    if (Array.isArray(cur)) {
      const ix = p.indexes[i];
      if (ix < 0) return false;
      cur = cur[ix];
    } else {
      const key = p.keys[i];
      if (p.guarded[i] && !Object.hasOwn(cur, key)) return false;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  if (!Array.isArray(cur)) return false;
  for (const el of cur) out.push(el);
  return true;
}

/**
 * A JSON number, or a decimal string (exchanges send prices as strings to keep their digits).
 * Number() alone also takes whitespace, hex, binary, octal and Infinity: the first and last
 * characters rule those out, cheaper than a regular expression on the hot path.
 */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return NaN;
  const n = Number(v);
  if (n !== n || n === Infinity || n === -Infinity) return NaN;
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  if (!((first >= 48 && first <= 57) || first === 45 || first === 46)) return NaN; // digit - .
  if (!((last >= 48 && last <= 57) || last === 46)) return NaN;
  if (first === 48 && v.length > 2) {
    const x = v.charCodeAt(1) | 32;
    if (x === 120 || x === 98 || x === 111) return NaN; // 0x.. 0b.. 0o..
  }
  return n;
}

/** Set when a time was a JSON number too large to be exact (ns): the text is worth re-reading. */
let sawInexactInteger = false;

const UNIT_SHIFT: Record<Exclude<TimeUnit, 'iso'>, number> = { s: 6, ms: 3, us: 0, ns: -3 };
const TIME_DECIMAL = /^([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,3}))?$/;

/**
 * A decimal text times 10^shift, truncated to an integer, exactly: `1700000000.123456789` s and
 * `1700000000123456789` ns both give 1700000000123456 µs, beyond what a double can multiply.
 */
function decimalToUs(text: string, shift: number): number {
  const m = TIME_DECIMAL.exec(text);
  if (m === null) return NaN;
  const intPart = m[1];
  const frac = m[2] ?? '';
  const point = intPart.length + shift + (m[3] === undefined ? 0 : Number(m[3]));
  if (point > 17) return NaN;
  if (point <= 0) return 0;
  const digits = intPart + frac;
  const n = Number(digits.length >= point ? digits.slice(0, point) : digits.padEnd(point, '0'));
  return Number.isSafeInteger(n) ? n : NaN;
}

/** The n digits at text[from...] as a number; -1 when one of them is not a digit. */
function digitsAt(text: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH[:]MM|±HH]`, up to 9 fractional digits
 * (truncated to µs); no zone means UTC. Read by hand: a regular expression and a Date per
 * message cost more than the rest of the mapping.
 */
function isoToUs(t: string): number {
  const len = t.length;
  if (len < 19) return NaN;
  const sep = t.charCodeAt(10);
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58)
    return NaN;
  if (sep !== 84 && sep !== 116 && sep !== 32) return NaN; // T t space
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 2);
  const day = digitsAt(t, 8, 2);
  const hour = digitsAt(t, 11, 2);
  const minute = digitsAt(t, 14, 2);
  const second = digitsAt(t, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return NaN;
  // Second 60 is a leap second: kept, as the first µs of the next minute would be.
  if (second < 0 || second > 60) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return NaN;
  let i = 19;
  let fracUs = 0;
  const dot = t.charCodeAt(i);
  if (dot === 46 || dot === 44) {
    const from = ++i;
    while (i < len && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    const n = i - from;
    if (n === 0 || n > 9) return NaN;
    const kept = n < 6 ? n : 6;
    fracUs = digitsAt(t, from, kept) * 10 ** (6 - kept);
  }
  let offsetMin = 0;
  if (i < len) {
    const z = t.charCodeAt(i);
    if (z === 90 || z === 122) {
      if (i + 1 !== len) return NaN;
    } else if (z === 43 || z === 45) {
      const hh = digitsAt(t, i + 1, 2);
      let mm = 0;
      if (len === i + 6 && t.charCodeAt(i + 3) === 58) mm = digitsAt(t, i + 4, 2);
      else if (len === i + 5) mm = digitsAt(t, i + 3, 2);
      else if (len !== i + 3) return NaN;
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
      offsetMin = (z === 45 ? -1 : 1) * (hh * 60 + mm);
    } else return NaN;
  }
  const secs = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMin * 60;
  return secs * 1_000_000 + fracUs;
}

function timeToUs(v: unknown, unit: TimeUnit): number {
  if (unit === 'iso') return typeof v === 'string' && v.length <= 64 ? isoToUs(v) : NaN;
  const shift = UNIT_SHIFT[unit];
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) {
      if (shift === 0) return v;
      if (shift > 0) {
        const us = v * (shift === 6 ? 1_000_000 : 1_000);
        return Number.isSafeInteger(us) ? us : NaN;
      }
      return v >= 0 ? (v - (v % 1000)) / 1000 : NaN;
    }
    if (!Number.isFinite(v) || v < 0) return NaN;
    // Fractional seconds/ms: the shortest text of the double is what the peer wrote.
    if (!Number.isInteger(v)) return decimalToUs(String(v), shift);
    // An integer beyond 2^53 already lost digits in JSON.parse; mapJsonText re-reads the text
    // (only ns can be that large and still a plausible time).
    if (shift < 0) sawInexactInteger = true;
    return decimalToUs(BigInt(v).toString(), shift);
  }
  if (typeof v === 'string' && v.length <= 40) return decimalToUs(v, shift);
  return NaN;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing there';
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function fail(out: MappingResult, reason: MappingErrorReason, p: CompiledPath | null, detail: string): false {
  if (out.errors.length < MAX_ERRORS_PER_MESSAGE) out.errors.push({ reason, path: p ? p.text : '', detail });
  return false;
}

function nameOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function optionalNumber(
  p: CompiledPath | null,
  el: unknown,
  msg: unknown,
  out: MappingResult,
  reason: MappingErrorReason,
): number | undefined | null {
  if (p === null) return undefined;
  const v = resolve(p, p.fromRoot ? msg : el);
  if (v === undefined || v === null) return undefined;
  const n = toNumber(v);
  if (n !== n) {
    fail(out, reason, p, `${describe(v)} is not a number`);
    return null;
  }
  return n;
}

/** Maps one message or list element into `out.ticks[n]`; false (and an error) when it is no tick. */
function mapOne(
  c: CompiledMapping,
  el: unknown,
  msg: unknown,
  recvUs: number,
  out: MappingResult,
  n: number,
): boolean {
  const sv = resolve(c.symbol, c.symbol.fromRoot ? msg : el);
  if (sv === undefined || sv === null) return fail(out, 'path_missing:symbol', c.symbol, describe(sv));
  const symbol = nameOf(sv);
  if (symbol === undefined)
    return fail(out, 'not_a_string:symbol', c.symbol, `${describe(sv)} is not a name`);

  const bv = resolve(c.bid, c.bid.fromRoot ? msg : el);
  if (bv === undefined || bv === null) return fail(out, 'path_missing:bid', c.bid, describe(bv));
  const bid = toNumber(bv);
  if (bid !== bid) return fail(out, 'not_a_number:bid', c.bid, `${describe(bv)} is not a number`);

  const av = resolve(c.ask, c.ask.fromRoot ? msg : el);
  if (av === undefined || av === null) return fail(out, 'path_missing:ask', c.ask, describe(av));
  const ask = toNumber(av);
  if (ask !== ask) return fail(out, 'not_a_number:ask', c.ask, `${describe(av)} is not a number`);

  const bidSize = optionalNumber(c.bidSize, el, msg, out, 'not_a_number:bidSize');
  if (bidSize === null) return false;
  const askSize = optionalNumber(c.askSize, el, msg, out, 'not_a_number:askSize');
  if (askSize === null) return false;

  let tsUs = recvUs;
  if (c.time !== null) {
    const tv = resolve(c.time, c.time.fromRoot ? msg : el);
    if (tv === undefined || tv === null) return fail(out, 'path_missing:time', c.time, describe(tv));
    tsUs = timeToUs(tv, c.timeUnit);
    if (tsUs !== tsUs)
      return fail(out, 'time_invalid', c.time, `${describe(tv)} is not a time in ${c.timeUnit}`);
    if (tsUs < PLAUSIBLE_TIME_US.min || tsUs >= PLAUSIBLE_TIME_US.max) {
      const when = new Date(Math.floor(tsUs / 1000)).toISOString();
      return fail(
        out,
        'time_out_of_range',
        c.time,
        `${describe(tv)} in ${c.timeUnit} is ${when}; is the unit right?`,
      );
    }
  }

  let source: string | undefined;
  if (c.source !== null) {
    const v = resolve(c.source, c.source.fromRoot ? msg : el);
    if (v !== undefined && v !== null) {
      source = nameOf(v);
      if (source === undefined)
        return fail(out, 'not_a_string:source', c.source, `${describe(v)} is not a name`);
    }
  }

  let seq: number | undefined;
  if (c.sequence !== null) {
    const v = resolve(c.sequence, c.sequence.fromRoot ? msg : el);
    if (v !== undefined && v !== null) {
      seq = toNumber(v);
      if (seq !== seq)
        return fail(out, 'not_a_number:sequence', c.sequence, `${describe(v)} is not a number`);
      if (!Number.isSafeInteger(seq) || seq < 0)
        return fail(
          out,
          'sequence_invalid',
          c.sequence,
          `${describe(v)} is not a whole number from 0 to 2^53`,
        );
    }
  }

  // Reuse the result's tick objects (a busy feed makes no garbage per tick); every field is set
  // on every tick so the objects keep one shape.
  let t = out.ticks[n];
  if (t === undefined) {
    t = { symbol, bid, ask, bidSize, askSize, tsUs, recvUs, noExchangeTime: c.time === null, source, seq };
    out.ticks.push(t);
  } else {
    t.symbol = symbol;
    t.bid = bid;
    t.ask = ask;
    t.bidSize = bidSize;
    t.askSize = askSize;
    t.tsUs = tsUs;
    t.recvUs = recvUs;
    t.noExchangeTime = c.time === null;
    t.source = source;
    t.seq = seq;
  }
  return true;
}

function matches(v: unknown, equals: string | number | boolean): boolean {
  if (v === equals) return true;
  // A form types every value as text: "1" matches 1 and the other way round.
  if (typeof v === 'number' && typeof equals === 'string') return String(v) === equals;
  if (typeof v === 'string' && typeof equals === 'number') return v === String(equals);
  return false;
}

const scratchList: unknown[] = [];

/**
 * Maps one parsed message. With `into`, that result (and its tick objects) is reused and
 * overwritten: read it before the next call.
 */
export function applyJsonMapping(
  c: CompiledMapping,
  message: unknown,
  recvUs: number,
  into?: MappingResult,
): MappingResult {
  const out = into ?? { ticks: [], skipped: false, errors: [] };
  out.skipped = false;
  out.errors.length = 0;
  let n = 0;
  if (c.match !== null && !matches(resolve(c.match.path, message), c.match.equals)) {
    out.skipped = true;
  } else if (c.list === null) {
    if (mapOne(c, message, message, recvUs, out, 0)) n = 1;
  } else {
    const l = c.list;
    let items: unknown[] | null;
    let found: unknown;
    if (l.hasEach) {
      scratchList.length = 0;
      items = resolveEach(l, message, 0, scratchList) ? scratchList : null;
    } else {
      found = resolve(l, message);
      items = Array.isArray(found) ? found : null;
    }
    if (items === null) {
      const missing = !l.hasEach && (found === undefined || found === null);
      fail(
        out,
        missing ? 'path_missing:list' : 'list_not_array',
        l,
        l.hasEach ? 'not arrays all the way' : describe(found),
      );
    } else {
      for (let i = 0; i < items.length; i++) if (mapOne(c, items[i], message, recvUs, out, n)) n++;
    }
    scratchList.length = 0;
  }
  out.ticks.length = n;
  return out;
}

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Keeps every digit of integers a double cannot hold (ns times) by handing them on as text. */
const keepBigIntegers: Reviver = (_key, value, context) =>
  typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
    ? context.source
    : value;

/**
 * Parses a text message and maps it. A time sent as a JSON number beyond 2^53 (ns) is re-read
 * from the text so no digit is lost (JSON.parse source access; where a browser lacks it, the
 * double's value is used).
 */
export function mapJsonText(
  c: CompiledMapping,
  text: string,
  recvUs: number,
  into?: MappingResult,
): MappingResult {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (e) {
    const out = into ?? { ticks: [], skipped: false, errors: [] };
    out.ticks.length = 0;
    out.skipped = false;
    out.errors.length = 0;
    out.errors.push({
      reason: 'not_json',
      path: '',
      detail: e instanceof Error ? e.message.slice(0, 200) : 'not JSON',
    });
    return out;
  }
  sawInexactInteger = false;
  const out = applyJsonMapping(c, message, recvUs, into);
  if (sawInexactInteger) {
    sawInexactInteger = false;
    return applyJsonMapping(
      c,
      JSON.parse(text, keepBigIntegers as (k: string, v: unknown) => unknown),
      recvUs,
      out,
    );
  }
  return out;
}

export interface PreviewMessage {
  /** The raw message, as given (the UI shows it next to what it gave). */
  raw: string;
  ticks: MappedTick[];
  skipped: boolean;
  errors: MappingError[];
}

export interface MappingPreview {
  /** Null when the mapping is valid; else zod's message, field by field (the form shows it). */
  mappingError: string | null;
  messages: PreviewMessage[];
}

/**
 * The feed form's live preview: the last messages parsed with the mapping being edited.
 * `mapping` is the form's unchecked input (JsonMappingInput shape); it is validated here.
 */
export function previewJsonMapping(mapping: unknown, rawMessages: string[], recvUs: number): MappingPreview {
  const parsed = JSON_MAPPING_SCHEMA.safeParse(mapping);
  if (!parsed.success) return { mappingError: z.prettifyError(parsed.error), messages: [] };
  let compiled: CompiledMapping;
  try {
    compiled = compileJsonMapping(parsed.data);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) return { mappingError: e.message, messages: [] };
    throw e;
  }
  return {
    mappingError: null,
    messages: rawMessages.map((raw) => ({ raw, ...mapJsonText(compiled, raw, recvUs) })),
  };
}
