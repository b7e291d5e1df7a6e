// Field mapping of the generic JSON WebSocket feed: where in each message the tick's fields are.
// The config file, the feed form and the live preview all validate with this schema, and a path
// that does not parse is refused here, so a running feed never meets a bad path.
//
// Path syntax (small on purpose; the form shows it as help text):
//   $                  the whole message
//   data.b             keys separated by dots; `$.data.b` means the same
//   quotes.0.bid       a number reads that array element (on an object it is the key "0")
//   quotes[0].bid      the same, bracketed
//   data["a.b"]        a quoted key may hold dots, brackets or anything else (JSON string
//   data['a.b']          escapes inside "…"; \' and \\ inside '…')
//   events.*.tickers   `*` (or `[*]`) means every element; only in `list`, whose arrays are joined
// In list mode the other paths are read from each list element; a path that starts with `$` is
// read from the whole message instead (a time or sequence shared by every quote in a batch).
import { z } from 'zod';

export const TIME_UNITS = ['s', 'ms', 'us', 'ns', 'iso'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Whether sequence numbers count per symbol (most feeds) or once per connection (Coinbase). */
export const SEQUENCE_SCOPES = ['symbol', 'connection'] as const;
export type SequenceScope = (typeof SEQUENCE_SCOPES)[number];

/**
 * contiguous: each number is the previous + 1, a skip is a gap (ledgered);
 * increasing: numbers only grow and skips are normal (update ids that count other changes too).
 */
export const SEQUENCE_MODES = ['contiguous', 'increasing'] as const;
export type SequenceMode = (typeof SEQUENCE_MODES)[number];

export const MAX_JSON_PATH_LENGTH = 200;

/** One step of a path: an object key, and the array index it also stands for (-1: none). */
export interface JsonPathSegment {
  key: string;
  index: number;
  /** `*`: every element of an array. */
  each: boolean;
}

export interface ParsedJsonPath {
  /** The path as written, for error messages. */
  text: string;
  /** Starts with `$`: read from the whole message even in list mode. */
  fromRoot: boolean;
  segments: JsonPathSegment[];
}

/** A path that does not follow the syntax above; the message says where and why. */
export class JsonPathSyntaxError extends Error {
  override name = 'JsonPathSyntaxError';
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`path ${JSON.stringify(path)}: ${problem}`);
    this.path = path;
  }
}

const CANONICAL_INDEX = /^(0|[1-9][0-9]{0,8})$/;

function keySegment(key: string): JsonPathSegment {
  return { key, index: CANONICAL_INDEX.test(key) ? Number(key) : -1, each: false };
}

/** Parses a path; throws JsonPathSyntaxError. `allowEach`: whether `*` may appear (list only). */
export function parseJsonPath(text: string, allowEach = false): ParsedJsonPath {
  const fail = (problem: string): never => {
    throw new JsonPathSyntaxError(text, problem);
  };
  if (text.length === 0) fail('is empty');
  if (text.length > MAX_JSON_PATH_LENGTH) fail(`is longer than ${MAX_JSON_PATH_LENGTH} characters`);
  const segments: JsonPathSegment[] = [];
  let i = 0;
  const fromRoot = text[0] === '$' && (text.length === 1 || text[1] === '.' || text[1] === '[');
  if (fromRoot) i = 1;
  let first = !fromRoot;
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      const close = readBracket(text, i + 1, fail, segments);
      i = close + 1;
    } else {
      if (c === '.') i++;
      else if (!first) fail(`expected . or [ at character ${i + 1}`);
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') {
        if (text[end] === ']') fail(`unexpected ] at character ${end + 1}`);
        end++;
      }
      if (end === i) fail(`empty key at character ${i + 1} (a key with dots is written ["a.b"])`);
      const key = text.slice(i, end);
      segments.push(key === '*' ? { key, index: -1, each: true } : keySegment(key));
      i = end;
    }
    first = false;
  }
  if (!allowEach && segments.some((s) => s.each)) fail('* (every element) is only allowed in the list path');
  return { text, fromRoot, segments };
}

/** Reads `[...]` from just after the `[`; returns the index of the closing `]`. */
function readBracket(
  text: string,
  start: number,
  fail: (p: string) => never,
  out: JsonPathSegment[],
): number {
  const q = text[start];
  if (q === '"' || q === "'") {
    let j = start + 1;
    let key = '';
    for (; j < text.length && text[j] !== q; j++) {
      if (text[j] === '\\') {
        j++;
        if (j >= text.length) break;
        if (q === "'") {
          if (text[j] !== "'" && text[j] !== '\\')
            fail(`only \\' and \\\\ are escapes inside '…' (character ${j + 1})`);
          key += text[j];
          continue;
        }
        key += '\\';
      }
      key += text[j];
    }
    if (j >= text.length) fail(`unterminated quoted key starting at character ${start + 1}`);
    if (q === '"') {
      try {
        key = JSON.parse(`"${key}"`) as string;
      } catch {
        fail(`the quoted key at character ${start + 1} is not a valid JSON string`);
      }
    }
    if (text[j + 1] !== ']') fail(`expected ] after the quoted key at character ${j + 2}`);
    out.push({ key, index: -1, each: false });
    return j + 1;
  }
  const close = text.indexOf(']', start);
  if (close < 0) fail(`unterminated [ at character ${start}`);
  const inner = text.slice(start, close);
  if (inner === '*') out.push({ key: '*', index: -1, each: true });
  else if (CANONICAL_INDEX.test(inner)) out.push(keySegment(inner));
  else fail(`[${inner}] is neither an array index, * nor a quoted key`);
  return close;
}

/** Null when the path parses, else why not. */
export function checkJsonPath(text: string, allowEach = false): string | null {
  try {
    parseJsonPath(text, allowEach);
    return null;
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) return e.message;
    throw e;
  }
}

const pathOf = (allowEach: boolean) =>
  z
    .string()
    .min(1)
    .max(MAX_JSON_PATH_LENGTH)
    .check(
      z.superRefine((p, ctx) => {
        const problem = checkJsonPath(p, allowEach);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
    );
const path = pathOf(false);

export const JSON_MAPPING_SCHEMA = z.strictObject({
  /** When set, each element of the array at this path is one tick (batched messages). */
  list: pathOf(true).optional(),
  symbol: path,
  bid: path,
  ask: path,
  bidSize: path.optional(),
  askSize: path.optional(),
  /** Exchange time; absent: ticks are filed under their receive time. */
  time: path.optional(),
  timeUnit: z.enum(TIME_UNITS).default('ms'),
  /** Per-message source (an LP field); absent: the feed's source. */
  source: path.optional(),
  sequence: path.optional(),
  /** Gaps are looked for per symbol, or across the connection's messages (one counter for all). */
  sequenceScope: z.enum(SEQUENCE_SCOPES).default('symbol'),
  /** Whether a skipped number is a gap (contiguous) or normal (increasing update ids). */
  sequenceMode: z.enum(SEQUENCE_MODES).default('contiguous'),
  /** Only messages whose value at `path` equals `equals` are ticks; others are ignored, not malformed. */
  match: z.strictObject({ path, equals: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
});

export type JsonMapping = z.output<typeof JSON_MAPPING_SCHEMA>;
export type JsonMappingInput = z.input<typeof JSON_MAPPING_SCHEMA>;
