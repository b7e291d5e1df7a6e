import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ViewStateEnv } from '../../../renderer/app/viewState.ts';
import { VIEW_STORAGE_KEY, ViewStateStore } from '../../../renderer/app/viewState.ts';
import type { ViewState } from '../../../renderer/app/viewStateCodec.ts';
import {
  DEFAULT_VIEW_STATE,
  parseViewState,
  tabFromHash,
  viewStateParams,
  viewStateSearch,
} from '../../../renderer/app/viewStateCodec.ts';

const view = (over: Partial<ViewState>): ViewState => ({
  ...DEFAULT_VIEW_STATE,
  historyCompare: [],
  ...over,
});

test('a fresh page is the default view, and the default view writes no parameter', () => {
  assert.deepEqual(parseViewState('', {}), DEFAULT_VIEW_STATE);
  assert.deepEqual(viewStateParams(view({})), {});
  assert.equal(viewStateSearch(view({}), ''), '');
});

test('every key round-trips through the URL with one compact parameter each', () => {
  const state = view({
    tab: 'history',
    zone: 'UTC+02:00',
    liveSymbol: 'EURUSD',
    liveSource: 'BBO',
    historySymbol: 'EUR/USD',
    historySource: 'demo-LP2',
    historyFromUs: 1_549_274_400_000_000,
    historyToUs: 1_549_274_460_000_123,
    historyCompare: ['GBPUSD', 'EURUSD@demo-LP1'],
    candleSide: 'mid',
    priceView: 'spread',
    compressGaps: true,
    showCrossed: false,
  });
  const search = viewStateSearch(state, '');
  assert.equal(
    search,
    '?tab=history&zone=UTC%2B02:00&liveSymbol=EURUSD&liveSource=BBO&historySymbol=EUR/USD' +
      '&historySource=demo-LP2&historyFromUs=1549274400000000&historyToUs=1549274460000123' +
      '&historyCompare=GBPUSD,EURUSD@demo-LP1&candleSide=mid&priceView=spread&compressGaps=1&showCrossed=0',
  );
  assert.deepEqual(parseViewState(search, {}), state);
});

test('the URL wins over storage key by key; storage fills what the URL leaves out', () => {
  const stored = { tab: 'storage', zone: 'local', historySymbol: 'BTCUSD' };
  const s = parseViewState('?tab=history&liveSymbol=XAUUSD', stored);
  assert.equal(s.tab, 'history');
  assert.equal(s.zone, 'local');
  assert.equal(s.historySymbol, 'BTCUSD');
  assert.equal(s.liveSymbol, 'XAUUSD');
});

test('invalid values fall back to the defaults', () => {
  const s = parseViewState(
    '?tab=nowhere&zone=Mars/Olympus&historyFromUs=yesterday&historyToUs=1e9&candleSide=last' +
      '&priceView=&compressGaps=maybe&liveSymbol=%20EURUSD&historySymbol=' +
      '&historyCompare=A,B@x@y,,C@,D,E',
    { zone: 'UTC+02:00' },
  );
  assert.equal(s.tab, 'live');
  assert.equal(s.zone, 'utc', 'a bad zone in the URL is the default, not the stored one');
  assert.equal(s.historyFromUs, null);
  assert.equal(s.historyToUs, null);
  assert.equal(s.candleSide, 'bid');
  assert.equal(s.priceView, 'quotes');
  assert.equal(s.compressGaps, false);
  assert.equal(s.liveSymbol, null, 'no leading space');
  assert.equal(s.historySymbol, null);
  assert.deepEqual(s.historyCompare, ['A', 'D', 'E'], 'malformed entries dropped, at most 3 kept');
});

test('zone ids are read as the zone module canonicalises them; a range must run forwards', () => {
  assert.equal(parseViewState('?zone=utc%2B3', {}).zone, 'UTC+03:00');
  assert.equal(parseViewState('?zone=europe/london', {}).zone, 'Europe/London');
  assert.equal(parseViewState('?zone=NY%2B7', {}).zone, 'NY+7');
  const backwards = parseViewState('?historyFromUs=200&historyToUs=100', {});
  assert.deepEqual([backwards.historyFromUs, backwards.historyToUs], [null, null]);
  const open = parseViewState('?historyFromUs=200', {});
  assert.deepEqual([open.historyFromUs, open.historyToUs], [200, null]);
});

test('other parameters are kept; the token is never written', () => {
  assert.equal(
    viewStateSearch(view({ tab: 'feeds' }), '?debug=1&token=SECRET&tab=live'),
    '?debug=1&tab=feeds',
  );
  assert.equal(tabFromHash('#history'), 'history');
  assert.equal(tabFromHash('#nope'), null);
});

/** A page: location that follows replaceState, a localStorage and timers the test fires. */
function fakeEnv(href: string, stored: Record<string, string> = {}) {
  const url = new URL(href);
  const location = { pathname: url.pathname, search: url.search, hash: url.hash };
  const storage = new Map(Object.entries(stored));
  const urls: string[] = [];
  const timers: (() => void)[] = [];
  const clock = { ms: 0 };
  let storageWorks = true;
  const env: ViewStateEnv = {
    location,
    history: {
      state: null,
      replaceState(_data, _unused, next) {
        const u = new URL(next ?? '', url);
        location.search = u.search;
        location.hash = u.hash;
        urls.push(`${u.pathname}${u.search}${u.hash}`);
      },
    },
    storage: () => {
      if (!storageWorks) throw new Error('storage disabled');
      return { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) };
    },
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
    now: () => clock.ms,
  };
  return { env, location, storage, urls, timers, clock, disableStorage: () => (storageWorks = false) };
}

test('the store writes changes to the URL and storage, coalesced, and a reload reads them back', () => {
  const page = fakeEnv('http://127.0.0.1:5317/');
  const store = new ViewStateStore(page.env);
  let notified = 0;
  store.subscribe(() => notified++);
  store.set('historyFromUs', 100);
  store.set('historyFromUs', 150);
  store.set('historySymbol', 'EURUSD');
  assert.equal(notified, 3);
  assert.equal(store.get().historyFromUs, 150, 'readers see a change at once');
  assert.equal(page.timers.length, 1, 'one write for a burst of changes');
  page.timers[0]();
  assert.equal(page.location.search, '?historySymbol=EURUSD&historyFromUs=150');
  assert.deepEqual(JSON.parse(page.storage.get(VIEW_STORAGE_KEY) ?? ''), {
    historySymbol: 'EURUSD',
    historyFromUs: '150',
  });
  store.set('historySymbol', 'EURUSD');
  assert.equal(notified, 3, 'setting the same value is no change');

  const reloaded = new ViewStateStore(fakeEnv(`http://127.0.0.1:5317/${page.location.search}`).env);
  assert.equal(reloaded.get().historySymbol, 'EURUSD');
  const fromStorage = new ViewStateStore(
    fakeEnv('http://127.0.0.1:5317/', Object.fromEntries(page.storage)).env,
  );
  assert.equal(fromStorage.get().historyFromUs, 150, 'a page opened without the query finds the last view');
});

test('a change well after the last write is written at once, so a reload right after keeps it', () => {
  const page = fakeEnv('http://127.0.0.1:5317/');
  const store = new ViewStateStore(page.env);
  page.clock.ms = 10_000;
  store.set('zone', 'UTC+02:00');
  assert.equal(page.timers.length, 0, 'no timer: written now');
  assert.equal(page.location.search, '?zone=UTC%2B02:00');
  page.clock.ms += 20;
  store.set('tab', 'history');
  assert.equal(page.timers.length, 1, 'a second change within the burst window waits');
  assert.equal(page.location.search, '?zone=UTC%2B02:00');
  page.timers[0]();
  assert.match(page.location.search, /tab=history/);
});

test('on load a #tab link becomes ?tab= and an invalid value leaves the URL', () => {
  const page = fakeEnv('http://127.0.0.1:5317/?zone=Nowhere/Land&x=1#history');
  const store = new ViewStateStore(page.env);
  assert.equal(store.get().tab, 'history');
  assert.deepEqual(page.urls, ['/?x=1&tab=history']);
  const other = fakeEnv('http://127.0.0.1:5317/#section-2');
  new ViewStateStore(other.env);
  assert.deepEqual(other.urls, [], 'a hash that is no tab is left alone, and so is a clean URL');
});

test('values are normalised as the URL would read them back; disabled storage still keeps the URL', () => {
  const page = fakeEnv('http://h/');
  page.disableStorage();
  const store = new ViewStateStore(page.env);
  store.set('zone', 'utc+2');
  assert.equal(store.get().zone, 'UTC+02:00');
  store.set('historyCompare', ['A', 'B', 'C', 'D']);
  assert.deepEqual(store.get().historyCompare, ['A', 'B', 'C']);
  store.set('historyToUs', Number.NaN);
  assert.equal(store.get().historyToUs, null);
  store.flush();
  assert.equal(page.location.search, '?zone=UTC%2B02:00&historyCompare=A,B,C');
});

test('without a history to write (the Electron window) the URL is left alone and storage still kept', () => {
  const page = fakeEnv('app://tickscope/index.html#history');
  const store = new ViewStateStore({ ...page.env, history: null });
  assert.equal(store.get().tab, 'history', 'a #tab is still read');
  store.set('zone', 'local');
  store.flush();
  assert.deepEqual(page.urls, []);
  assert.equal(page.location.search, '');
  assert.deepEqual(JSON.parse(page.storage.get(VIEW_STORAGE_KEY) ?? ''), { tab: 'history', zone: 'local' });
});

test('settings saved before the view state (zone, per-tab source filter) are picked up once', () => {
  const legacy = {
    'tickscope.zone': 'local',
    'tickscope.sourceFilter.live': 'LP-B',
    'tickscope.sourceFilter.history': 'LP-C',
  };
  const page = fakeEnv('http://h/', legacy);
  const s = new ViewStateStore(page.env).get();
  assert.deepEqual([s.zone, s.liveSource, s.historySource], ['local', 'LP-B', 'LP-C']);
  const later = fakeEnv('http://h/', { ...legacy, [VIEW_STORAGE_KEY]: '{"historySource":"LP-A"}' });
  const t = new ViewStateStore(later.env).get();
  assert.deepEqual([t.zone, t.liveSource, t.historySource], ['utc', null, 'LP-A']);
});
