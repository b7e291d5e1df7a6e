// The add/edit feed form's state: every field as the text the user typed, turned into a config
// and checked with the very schema the server uses (FEED_CONFIG_SCHEMA), so the form refuses
// exactly what `feeds.save` would, with the field's name in each message.
import type { z } from 'zod';
import type { FeedConfig, FeedKind } from '../../shared/feeds/feedConfig.ts';
import { FEED_CONFIG_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import type { JsonMapping, SequenceMode, SequenceScope, TimeUnit } from '../../shared/feeds/jsonMapping.ts';
import { JSON_MAPPING_SCHEMA } from '../../shared/feeds/jsonMapping.ts';

export interface MappingDraft {
  list: string;
  symbol: string;
  bid: string;
  ask: string;
  bidSize: string;
  askSize: string;
  time: string;
  timeUnit: TimeUnit;
  source: string;
  sequence: string;
  sequenceScope: SequenceScope;
  sequenceMode: SequenceMode;
  matchPath: string;
  /** Typed as text; a JSON number, true/false or "quoted" text is read as such, else plain text. */
  matchEquals: string;
  /** Mapping settings this form has no field for, kept as they were saved. */
  extra: Record<string, unknown>;
}

export interface FeedDraft {
  kind: FeedKind;
  id: string;
  enabled: boolean;
  source: string;
  /** Comma- or space-separated. */
  symbols: string;
  symbolCount: string;
  ratePerSec: string;
  url: string;
  market: 'spot' | 'futures';
  streams: 'combined' | 'raw';
  /** ws-json: one message per line, sent after every (re)connect. */
  subscribe: string;
  mapping: MappingDraft;
  host: string;
  port: string;
  senderCompId: string;
  targetCompId: string;
  username: string;
  usePassword: boolean;
  heartbeatSec: string;
  resetOnLogon: boolean;
  /** Config settings this form has no field for (a newer server's), kept as they were saved. */
  extra: Record<string, unknown>;
}

export const KIND_LABEL: Record<FeedKind, string> = {
  demo: 'Demo (simulated)',
  binance: 'Binance bookTicker',
  coinbase: 'Coinbase Advanced Trade',
  'ws-json': 'Generic JSON WebSocket',
  fix: 'FIX 4.4 market data',
};

/** Field names as the form shows them; a message about a field starts with its label. */
export const FIELD_LABEL: Record<string, string> = {
  kind: 'Kind',
  id: 'Feed id',
  enabled: 'Enabled',
  source: 'Source',
  symbols: 'Symbols',
  symbolCount: 'Symbol count',
  ratePerSec: 'Rate',
  url: 'URL',
  market: 'Market',
  streams: 'Streams',
  subscribe: 'Subscribe messages',
  host: 'Host',
  port: 'Port',
  senderCompId: 'SenderCompID',
  targetCompId: 'TargetCompID',
  username: 'Username',
  usePassword: 'Send password',
  heartbeatSec: 'Heartbeat',
  resetOnLogon: 'Reset sequence on logon',
  'mapping.list': 'List path',
  'mapping.symbol': 'Symbol path',
  'mapping.bid': 'Bid path',
  'mapping.ask': 'Ask path',
  'mapping.bidSize': 'Bid size path',
  'mapping.askSize': 'Ask size path',
  'mapping.time': 'Time path',
  'mapping.timeUnit': 'Time unit',
  'mapping.source': 'Source path',
  'mapping.sequence': 'Sequence path',
  'mapping.sequenceScope': 'Sequence scope',
  'mapping.sequenceMode': 'Sequence numbers',
  'mapping.match.path': 'Match path',
  'mapping.match.equals': 'Match value',
};

export function emptyMappingDraft(): MappingDraft {
  return {
    list: '',
    symbol: '',
    bid: '',
    ask: '',
    bidSize: '',
    askSize: '',
    time: '',
    timeUnit: 'ms',
    source: '',
    sequence: '',
    sequenceScope: 'symbol',
    sequenceMode: 'contiguous',
    matchPath: '',
    matchEquals: '',
    extra: {},
  };
}

export function emptyDraft(kind: FeedKind): FeedDraft {
  return {
    kind,
    id: '',
    enabled: true,
    source: '',
    symbols: '',
    symbolCount: '8',
    ratePerSec: '200',
    url: '',
    market: 'spot',
    streams: 'combined',
    subscribe: '',
    mapping: emptyMappingDraft(),
    host: '',
    port: '',
    senderCompId: '',
    targetCompId: '',
    username: '',
    usePassword: false,
    heartbeatSec: '30',
    resetOnLogon: false,
    extra: {},
  };
}

const text = (v: string | number | undefined) => (v === undefined ? '' : String(v));

const MAPPING_KEYS = new Set([
  'list',
  'symbol',
  'bid',
  'ask',
  'bidSize',
  'askSize',
  'time',
  'timeUnit',
  'source',
  'sequence',
  'sequenceScope',
  'sequenceMode',
  'match',
]);

/** The fields each kind's form shows; whatever else a saved config holds is kept in `extra`. */
const CONFIG_KEYS: Record<FeedKind, readonly string[]> = {
  demo: ['symbolCount', 'ratePerSec'],
  binance: ['url', 'market', 'streams'],
  coinbase: ['url'],
  'ws-json': ['url', 'subscribe', 'mapping'],
  fix: [
    'host',
    'port',
    'senderCompId',
    'targetCompId',
    'username',
    'usePassword',
    'heartbeatSec',
    'resetOnLogon',
  ],
};
const COMMON_KEYS = ['id', 'kind', 'enabled', 'source', 'symbols'];

function extraOf(o: object, known: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.has(k)) out[k] = v;
  return out;
}

export function mappingDraftFrom(m: JsonMapping): MappingDraft {
  return {
    list: text(m.list),
    symbol: m.symbol,
    bid: m.bid,
    ask: m.ask,
    bidSize: text(m.bidSize),
    askSize: text(m.askSize),
    time: text(m.time),
    timeUnit: m.timeUnit,
    source: text(m.source),
    sequence: text(m.sequence),
    sequenceScope: m.sequenceScope,
    sequenceMode: m.sequenceMode,
    matchPath: m.match?.path ?? '',
    matchEquals: m.match === undefined ? '' : equalsText(m.match.equals),
    extra: extraOf(m, MAPPING_KEYS),
  };
}

/** A saved feed back into the form. */
export function draftFromConfig(c: FeedConfig): FeedDraft {
  const d = emptyDraft(c.kind);
  d.id = c.id;
  d.enabled = c.enabled;
  d.source = c.source ?? '';
  d.symbols = c.symbols.join(' ');
  d.extra = extraOf(c, new Set([...COMMON_KEYS, ...CONFIG_KEYS[c.kind]]));
  switch (c.kind) {
    case 'demo':
      d.symbolCount = String(c.symbolCount);
      d.ratePerSec = String(c.ratePerSec);
      break;
    case 'binance':
      d.url = c.url ?? '';
      d.market = c.market;
      d.streams = c.streams;
      break;
    case 'coinbase':
      d.url = c.url ?? '';
      break;
    case 'ws-json':
      d.url = c.url;
      d.subscribe = c.subscribe.join('\n');
      d.mapping = mappingDraftFrom(c.mapping);
      break;
    case 'fix':
      d.host = c.host;
      d.port = String(c.port);
      d.senderCompId = c.senderCompId;
      d.targetCompId = c.targetCompId;
      d.username = c.username ?? '';
      d.usePassword = c.usePassword;
      d.heartbeatSec = String(c.heartbeatSec);
      d.resetOnLogon = c.resetOnLogon;
      break;
  }
  return d;
}

export function parseSymbolList(s: string): string[] {
  return s.split(/[\s,]+/).filter((x) => x.length > 0);
}

/** Optional text: empty means "not set" (the schema's default or absence). */
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

/** A number field: empty is "not set"; text that is no number is handed on so the schema names it. */
function num(s: string): number | string | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && /^[-+]?[0-9.eE+-]+$/.test(t) ? n : t;
}

function equalsValue(s: string): string | number | boolean {
  const t = s.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(t)) return Number(t);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch {
      // Not a JSON string after all: the text as typed.
    }
  }
  return s;
}

function equalsText(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  // Text that would read back as a number or boolean is quoted to stay text.
  return equalsValue(v) === v ? v : JSON.stringify(v);
}

/** The mapping as the schema (and previewJsonMapping) takes it. */
export function mappingInput(m: MappingDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...m.extra,
    list: opt(m.list),
    symbol: m.symbol.trim(),
    bid: m.bid.trim(),
    ask: m.ask.trim(),
    bidSize: opt(m.bidSize),
    askSize: opt(m.askSize),
    time: opt(m.time),
    timeUnit: m.timeUnit,
    source: opt(m.source),
    sequence: opt(m.sequence),
    sequenceScope: m.sequenceScope,
    sequenceMode: m.sequenceMode,
    match:
      m.matchPath.trim() === '' && m.matchEquals.trim() === ''
        ? undefined
        : { path: m.matchPath.trim(), equals: equalsValue(m.matchEquals) },
  };
  return dropUndefined(out);
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** What the form holds, as the object the schema checks (only the kind's own fields). */
export function configInput(d: FeedDraft): Record<string, unknown> {
  const common = {
    ...d.extra,
    id: d.id.trim(),
    kind: d.kind,
    enabled: d.enabled,
    source: opt(d.source),
    symbols: parseSymbolList(d.symbols),
  };
  switch (d.kind) {
    case 'demo':
      return dropUndefined({ ...common, symbolCount: num(d.symbolCount), ratePerSec: num(d.ratePerSec) });
    case 'binance':
      return dropUndefined({ ...common, url: opt(d.url), market: d.market, streams: d.streams });
    case 'coinbase':
      return dropUndefined({ ...common, url: opt(d.url) });
    case 'ws-json':
      return dropUndefined({
        ...common,
        url: d.url.trim(),
        subscribe: d.subscribe.split('\n').filter((l) => l.trim() !== ''),
        mapping: mappingInput(d.mapping),
      });
    case 'fix':
      return dropUndefined({
        ...common,
        host: d.host.trim(),
        port: num(d.port),
        senderCompId: d.senderCompId.trim(),
        targetCompId: d.targetCompId.trim(),
        username: opt(d.username),
        usePassword: d.usePassword,
        heartbeatSec: num(d.heartbeatSec),
        resetOnLogon: d.resetOnLogon,
      });
  }
}

/** Field key ('port', 'mapping.bid', 'symbols') → the first problem with it, worded for a person. */
export type FieldErrors = Record<string, string>;

export type DraftCheck = { ok: true; config: FeedConfig } | { ok: false; errors: FieldErrors };

/** A field key from a zod issue path: list indexes name the entry instead. */
function fieldKey(path: readonly PropertyKey[]): string {
  return path.filter((p) => typeof p === 'string').join('.');
}

function wording(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const i = issue as z.core.$ZodIssue & {
    expected?: string;
    origin?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
  };
  if (issue.path[0] === 'symbols' && typeof issue.path[1] === 'number') {
    const sym = (input.symbols as string[] | undefined)?.[issue.path[1]];
    return `${JSON.stringify(sym)}: ${issue.message}`;
  }
  if (i.code === 'invalid_type' && i.expected === 'number') return 'must be a number';
  if (i.code === 'invalid_type' && i.expected === 'int') return 'must be a whole number';
  if (i.code === 'too_small' && i.origin === 'string' && Number(i.minimum) === 1) return 'is required';
  if (i.code === 'too_small' && i.origin === 'number') return `must be at least ${i.minimum}`;
  if (i.code === 'too_big' && i.origin === 'number') return `must be at most ${i.maximum}`;
  if (i.code === 'too_big' && i.origin === 'string') return `must be at most ${i.maximum} characters`;
  return issue.message;
}

export function labelOf(key: string): string {
  return FIELD_LABEL[key] ?? (key === '' ? 'Feed' : key);
}

function errorsOf(
  issues: readonly z.core.$ZodIssue[],
  input: Record<string, unknown>,
  prefix = '',
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = fieldKey(issue.path);
    errors[key] ??= `${labelOf(prefix + key)}: ${wording(issue, input)}`;
  }
  return errors;
}

/** Checks the draft with FEED_CONFIG_SCHEMA; the parsed config (defaults filled in) or errors. */
export function checkDraft(d: FeedDraft): DraftCheck {
  const input = configInput(d);
  const r = FEED_CONFIG_SCHEMA.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, errors: errorsOf(r.error.issues, input) };
}

/** The mapping alone, checked with JSON_MAPPING_SCHEMA: its errors keyed like 'symbol', 'match.path'. */
export function checkMapping(m: MappingDraft): FieldErrors {
  const input = mappingInput(m);
  const r = JSON_MAPPING_SCHEMA.safeParse(input);
  return r.success ? {} : errorsOf(r.error.issues, input, 'mapping.');
}

/** The errors of the mapping's own fields, keyed without the `mapping.` prefix. */
export function mappingErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith('mapping.')) out[k.slice(8)] = v;
  return out;
}
