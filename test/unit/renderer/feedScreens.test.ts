import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { FEED_CONFIG_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import { emptyFeedStatus } from '../../../shared/feeds/feedStatus.ts';
import { previewJsonMapping } from '../../../shared/feeds/jsonMappingApply.ts';
import {
  checkDraft,
  configInput,
  draftFromConfig,
  emptyDraft,
  mappingErrors,
  mappingInput,
  parseSymbolList,
} from '../../../renderer/feeds/feedDraft.ts';
import { formatGapUs, formatLatencyUs } from '../../../renderer/feeds/feedFormat.ts';
import { FeedLedger, LEDGER_MAX_ROWS, LEDGER_WINDOW_US } from '../../../renderer/feeds/feedLedger.ts';
import { splitPastedMessages } from '../../../renderer/feeds/pastedMessages.ts';
import { EMPTY_BOOK, nextBook } from '../../../renderer/feeds/statusBook.ts';

test('symbol lists take commas, spaces and newlines', () => {
  assert.deepEqual(parseSymbolList(' BTCUSDT, ETHUSDT  SOLUSDT,\nXRPUSDT ,'), [
    'BTCUSDT',
    'ETHUSDT',
    'SOLUSDT',
    'XRPUSDT',
  ]);
  assert.deepEqual(parseSymbolList('  '), []);
});

test('a binance draft becomes the config the schema makes of it, defaults filled in', () => {
  const d = { ...emptyDraft('binance'), id: 'bn', symbols: 'BTCUSDT ETHUSDT', url: 'ws://127.0.0.1:9/x' };
  const r = checkDraft(d);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.config, {
    id: 'bn',
    kind: 'binance',
    enabled: true,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    url: 'ws://127.0.0.1:9/x',
    market: 'spot',
    streams: 'combined',
  });
  // Empty optional text is "not set", never an empty string the schema would refuse.
  assert.equal('source' in configInput(d), false);
});

test('invalid fields are refused with messages that name the field', () => {
  const d = {
    ...emptyDraft('fix'),
    id: 'Bad Id',
    host: '',
    port: 'abc',
    senderCompId: 'ME',
    targetCompId: 'LP',
    heartbeatSec: '1.5',
    symbols: 'EURUSD bad|sym',
  };
  const r = checkDraft(d);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.errors.id, /^Feed id: a feed id is/);
  assert.equal(r.errors.host, 'Host: is required');
  assert.equal(r.errors.port, 'Port: must be a number');
  assert.equal(r.errors.heartbeatSec, 'Heartbeat: must be a whole number');
  assert.match(r.errors.symbols, /^Symbols: "bad\|sym": /);
  assert.equal(Object.keys(r.errors).length, 5, Object.keys(r.errors).join(', '));
});

test('a port out of range says the limit', () => {
  const d = { ...emptyDraft('fix'), id: 'f', host: 'h', port: '70000', senderCompId: 'a', targetCompId: 'b' };
  const r = checkDraft(d);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.errors.port, 'Port: must be at most 65535');
});

test('ws-json mapping errors are keyed by mapping field', () => {
  const d = { ...emptyDraft('ws-json'), id: 'j', url: 'ws://x' };
  d.mapping = { ...d.mapping, symbol: 'a..b', bid: 'b', ask: '' };
  const r = checkDraft(d);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const m = mappingErrors(r.errors);
  assert.match(m.symbol, /^Symbol path: path "a\.\.b": empty key/);
  assert.equal(m.ask, 'Ask path: is required');
  assert.equal(m.bid, undefined);
});

test('a saved config goes back into the form and out again unchanged', () => {
  const configs = [
    { id: 'd', kind: 'demo', enabled: false, symbols: [], symbolCount: 3, ratePerSec: 50 },
    {
      id: 'f',
      kind: 'fix',
      enabled: true,
      source: 'LP-X',
      symbols: ['EURUSD'],
      host: 'fix.example.com',
      port: 9876,
      senderCompId: 'ME',
      targetCompId: 'LP X',
      username: 'u',
      usePassword: true,
      heartbeatSec: 15,
      resetOnLogon: true,
    },
    {
      id: 'j',
      kind: 'ws-json',
      enabled: true,
      symbols: [],
      url: 'wss://q.example.com',
      subscribe: ['{"op":"sub"}', 'second'],
      mapping: {
        list: 'data.*',
        symbol: 's',
        bid: 'b',
        ask: 'a',
        time: '$.ts',
        timeUnit: 'us',
        sequenceScope: 'connection',
        match: { path: 'type', equals: 1 },
      },
    },
  ] as const;
  for (const c of configs) {
    const saved = FEED_CONFIG_SCHEMA.parse(c);
    const parsed = checkDraft(draftFromConfig(structuredClone(saved)));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.config, saved);
  }
});

test('settings the form has no field for are kept as saved, not dropped', () => {
  const saved = FEED_CONFIG_SCHEMA.parse({ id: 'b', kind: 'binance' });
  const newer = { ...saved, shards: 3 } as unknown as typeof saved;
  assert.equal(configInput(draftFromConfig(newer)).shards, 3);
  const j = FEED_CONFIG_SCHEMA.parse({
    id: 'j',
    kind: 'ws-json',
    url: 'ws://x',
    mapping: { symbol: 's', bid: 'b', ask: 'a' },
  });
  if (j.kind !== 'ws-json') return;
  const withExtra = { ...j, mapping: { ...j.mapping, decimals: 8 } } as unknown as typeof j;
  const m = configInput(draftFromConfig(withExtra)).mapping as Record<string, unknown>;
  assert.equal(m.decimals, 8);
});

test('a match value typed as text keeps its type: numbers, booleans, "quoted" text', () => {
  const m = { ...emptyDraft('ws-json').mapping, symbol: 's', bid: 'b', ask: 'a', matchPath: 'e' };
  assert.deepEqual(mappingInput({ ...m, matchEquals: '12' }).match, { path: 'e', equals: 12 });
  assert.deepEqual(mappingInput({ ...m, matchEquals: 'true' }).match, { path: 'e', equals: true });
  assert.deepEqual(mappingInput({ ...m, matchEquals: '"12"' }).match, { path: 'e', equals: '12' });
  assert.deepEqual(mappingInput({ ...m, matchEquals: 'quote' }).match, { path: 'e', equals: 'quote' });
  const back = draftFromConfig(
    FEED_CONFIG_SCHEMA.parse({
      id: 'j',
      kind: 'ws-json',
      url: 'ws://x',
      mapping: { symbol: 's', bid: 'b', ask: 'a', match: { path: 'e', equals: '12' } },
    }),
  );
  assert.equal(back.mapping.matchEquals, '"12"', 'text that looks like a number stays text');
});

test('the preview reads the mapping as the form holds it, message by message', () => {
  const m = { ...emptyDraft('ws-json').mapping, symbol: 'data.s', bid: 'data.b', ask: 'data.a' };
  const msgs = ['{"data":{"s":"BTCUSDT","b":"100.5","a":"100.7"}}', '{"data":{"s":"X"}}', 'not json'];
  const p = previewJsonMapping(mappingInput(m), msgs, 1_700_000_000_000_000);
  assert.equal(p.mappingError, null);
  assert.equal(p.messages[0].ticks[0].bid, 100.5);
  assert.equal(p.messages[1].errors[0].reason, 'path_missing:bid');
  assert.equal(p.messages[2].errors[0].reason, 'not_json');
  // Editing a path changes what the same messages give.
  const edited = previewJsonMapping(mappingInput({ ...m, bid: 'data.a' }), msgs, 1_700_000_000_000_000);
  assert.equal(edited.messages[0].ticks[0].bid, 100.7);
  assert.notEqual(previewJsonMapping(mappingInput({ ...m, symbol: '' }), msgs, 0).mappingError, null);
});

test('pasted messages: one per line, or one multi-line document', () => {
  assert.deepEqual(splitPastedMessages(''), []);
  assert.deepEqual(splitPastedMessages('{"a":1}\n\n {"a":2} \n'), ['{"a":1}', '{"a":2}']);
  const doc = '{\n  "a": 1\n}';
  assert.deepEqual(splitPastedMessages(doc), [doc]);
});

const ev = (tsUs: number, kind: FeedEvent['kind'], feed = 'bn'): FeedEvent =>
  feedEvent({ tsUs, feed, source: 'binance', kind, reason: `${kind} at ${tsUs}` });

test('the ledger lists each entry once, newest first, within 24 h', () => {
  const l = new FeedLedger();
  const now = 10 * LEDGER_WINDOW_US;
  assert.equal(l.add([ev(now - 3000, 'disconnect'), ev(now - 1000, 'connect')]), true);
  // The fetched history overlaps what was pushed live.
  assert.equal(l.add([ev(now - 1000, 'connect')]), false, 'a repeated entry is not new');
  l.add([ev(now - LEDGER_WINDOW_US - 1, 'reconnect'), ev(now - 2000, 'reconnect', 'other')]);
  assert.deepEqual(
    l.list(now).map((e) => e.kind),
    ['connect', 'reconnect', 'disconnect'],
  );
  assert.deepEqual(
    l.list(now, 'bn').map((e) => e.tsUs),
    [now - 1000, now - 3000],
  );
  // Equal times keep arrival order reversed (the later-arrived entry is newer).
  const l2 = new FeedLedger();
  l2.add([ev(now, 'disconnect'), ev(now, 'reconnect')]);
  assert.deepEqual(
    l2.list(now).map((e) => e.kind),
    ['reconnect', 'disconnect'],
  );
});

test('the ledger keeps at most LEDGER_MAX_ROWS, dropping the oldest', () => {
  const l = new FeedLedger();
  const now = 10 * LEDGER_WINDOW_US;
  const many = Array.from({ length: LEDGER_MAX_ROWS + 5 }, (_, i) => ev(now - i, 'reconnect'));
  l.add(many);
  const rows = l.list(now);
  assert.equal(rows.length, LEDGER_MAX_ROWS);
  assert.equal(rows.at(-1)?.tsUs, now - (LEDGER_MAX_ROWS - 1));
  // A dropped entry may come back (it is old, but it is not a duplicate any more).
  assert.equal(l.add([ev(now - LEDGER_MAX_ROWS - 1, 'reconnect')]), true);
});

function status(id: string, state: FeedStatus['state'], ticks = 0): FeedStatus {
  const base = emptyFeedStatus({
    id,
    kind: 'binance',
    source: 'binance',
    state,
    stateSinceUs: 1,
    endpoint: 'ws://x',
  });
  return { ...base, connections: 1, connectionsLive: 1, ticks, messages: ticks };
}

test('a feed that stops keeps its last status and when it was seen to stop', () => {
  let b = nextBook(EMPTY_BOOK, [status('a', 'live', 5), status('b', 'reconnecting')], 1000);
  assert.deepEqual([...b.running.keys()], ['a', 'b']);
  b = nextBook(b, [status('b', 'live')], 2000);
  assert.deepEqual([...b.running.keys()], ['b']);
  assert.equal(b.last.get('a')?.ticks, 5, 'the last counters of a stopped feed stay readable');
  assert.equal(b.stoppedAtMs.get('a'), 2000);
  b = nextBook(b, [status('a', 'connecting'), status('b', 'stopped')], 3000);
  assert.deepEqual([...b.running.keys()], ['a']);
  assert.equal(b.stoppedAtMs.has('a'), false, 'running again');
  assert.equal(b.stoppedAtMs.get('b'), 3000, 'a status saying stopped counts as stopped');
});

test('latencies and gap durations read well at every scale', () => {
  assert.equal(formatLatencyUs(850), '850 µs');
  assert.equal(formatLatencyUs(2_345), '2.35 ms');
  assert.equal(formatLatencyUs(45_600), '45.6 ms');
  assert.equal(formatLatencyUs(1_500_000), '1.50 s');
  assert.equal(formatLatencyUs(-1_200), '−1.20 ms', 'clock skew shows as negative, not hidden');
  assert.equal(formatGapUs(250_000), '250 ms');
  assert.equal(formatGapUs(12_300_000), '12.3 s');
  assert.equal(formatGapUs(125_000_000), '2m 5s');
});
