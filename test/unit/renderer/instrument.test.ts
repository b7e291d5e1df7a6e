import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Instrument } from '../../../renderer/format/instrument.ts';
import {
  defaultPipSize,
  exactDecimals,
  formatPips,
  formatPriceFor,
  fxPair,
  instrumentFor,
  pipDecimals,
  spreadInPips,
} from '../../../renderer/format/instrument.ts';
import { InstrumentBook } from '../../../renderer/instruments/instrumentBook.ts';
import {
  loadOverrides,
  OVERRIDES_KEY,
  parseOverrideDraft,
  parseOverrides,
  saveOverrides,
} from '../../../renderer/instruments/instrumentOverrides.ts';

const stored = (symbol: string, decimals: number, override?: { decimals?: number; pipSize?: number }) =>
  instrumentFor(symbol, { decimals, from: 'stored' }, override);

test('FX pairs are two currency codes, with separators and broker suffixes; metals and crypto are not', () => {
  assert.deepEqual(fxPair('EURUSD'), { base: 'EUR', quote: 'USD' });
  assert.deepEqual(fxPair('EUR/USD'), { base: 'EUR', quote: 'USD' });
  assert.deepEqual(fxPair('USDJPY.1'), { base: 'USD', quote: 'JPY' });
  assert.deepEqual(fxPair('GBPUSDm'), { base: 'GBP', quote: 'USD' });
  for (const s of ['XAUUSD', 'XAGUSD', 'BTCUSD', 'ETHUSD', 'US500', 'EURUSDT', 'EUREUR', 'eurusd'])
    assert.equal(fxPair(s), null, s);
});

test('pip size: fractional-pip FX, JPY pairs, and points for everything else', () => {
  assert.deepEqual(defaultPipSize('EURUSD', 5), { pipSize: 0.0001, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('EURUSD', 4), { pipSize: 0.0001, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('EURUSD', 6), { pipSize: 0.0001, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('USDHUF', 3), { pipSize: 0.01, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('USDJPY', 3), { pipSize: 0.01, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('USDJPY', 2), { pipSize: 0.01, pipName: 'pip' });
  assert.deepEqual(defaultPipSize('XAUUSD', 2), { pipSize: 0.01, pipName: 'point' });
  assert.deepEqual(defaultPipSize('BTCUSD', 1), { pipSize: 0.1, pipName: 'point' });
  assert.deepEqual(defaultPipSize('US500', 0), { pipSize: 1, pipName: 'point' });
});

test('spread in pips reads as traders read it', () => {
  const eurusd = stored('EURUSD', 5);
  assert.equal(spreadInPips(eurusd, 1.13456, 1.13468), 1.2);
  assert.equal(formatPips(eurusd, 1.13456, 1.13468), '1.2');
  assert.equal(formatPips(eurusd, 1.0845, 1.0846), '1.0');
  const usdjpy = stored('USDJPY', 3);
  assert.equal(formatPips(usdjpy, 151.42, 151.432), '1.2');
  const btc = stored('BTCUSD', 1);
  assert.equal(formatPips(btc, 67250.5, 67258.5), '80', 'crypto in whole points');
  const gold = stored('XAUUSD', 2);
  assert.equal(formatPips(gold, 2331.2, 2331.45), '25');
  // Locked and crossed quotes are shown as they are: zero (never '-0.0') and negative.
  assert.equal(formatPips(eurusd, 1.1, 1.1), '0.0');
  assert.equal(formatPips(eurusd, 1.10003, 1.1), '-0.3');
  assert.equal(formatPips(eurusd, Number.NaN, 1.1), '—');
  assert.equal(pipDecimals(stored('EURUSD', 4)), 0, 'a 4-decimal quote has whole pips');
});

test('prices show the instrument decimals, and more only when a price needs them', () => {
  const audjpy = stored('AUDJPY', 3);
  assert.equal(formatPriceFor(audjpy, 99.592), '99.592', 'not 99.59200');
  assert.equal(formatPriceFor(audjpy, 99.5), '99.500');
  assert.equal(formatPriceFor(audjpy, 99.5925), '99.5925', 'a mid between two quotes keeps its half');
  assert.equal(formatPriceFor(stored('EURUSD', 5), 0.1 + 0.2), '0.30000', 'float noise is not a decimal');
  assert.equal(formatPriceFor(audjpy, Number.NaN), '—');
  assert.equal(exactDecimals(1.13456), 5);
  assert.equal(exactDecimals(0.1 + 0.2), null);
});

test('an override sets decimals (the pip follows) or the pip size itself', () => {
  const d4 = stored('EURUSD', 5, { decimals: 4 });
  assert.equal(d4.decimals, 4);
  assert.equal(d4.decimalsFrom, 'override');
  assert.equal(d4.pipSize, 0.0001);
  assert.equal(formatPriceFor(d4, 1.1), '1.1000');
  assert.equal(formatPriceFor(d4, 1.13456), '1.1346', 'decimals the user set are taken as asked');
  assert.equal(formatPips(d4, 1.1345, 1.1347), '2', 'whole pips at 4 decimals');
  const gold = stored('XAUUSD', 2, { pipSize: 0.1 });
  assert.equal(gold.pipSize, 0.1);
  assert.equal(gold.pipName, 'point');
  assert.equal(formatPips(gold, 2331.2, 2331.45), '2.5', 'ten cents a point: one decimal');
  const unknown = instrumentFor('EURJPY', null);
  assert.deepEqual([unknown.decimals, unknown.pipSize, unknown.decimalsFrom], [3, 0.01, 'default']);
});

function memoryStore() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    raw: m,
  };
}

test('overrides survive a round trip through storage; malformed entries are dropped', () => {
  const store = memoryStore();
  saveOverrides({ EURUSD: { decimals: 4 }, XAUUSD: { pipSize: 0.1 } }, store);
  assert.deepEqual(loadOverrides(store), { EURUSD: { decimals: 4 }, XAUUSD: { pipSize: 0.1 } });
  store.setItem(OVERRIDES_KEY, '{not json');
  assert.deepEqual(loadOverrides(store), {});
  assert.deepEqual(
    parseOverrides(
      JSON.stringify({ A: { decimals: 99 }, B: { pipSize: -1 }, C: 'x', D: { decimals: 2, pipSize: 0 } }),
    ),
    { D: { decimals: 2 } },
  );
  assert.deepEqual(loadOverrides(undefined), {}, 'no storage at all');
});

test('the settings row text becomes an override or names what is wrong', () => {
  assert.deepEqual(parseOverrideDraft('', ''), { ok: true, override: null });
  assert.deepEqual(parseOverrideDraft(' 3 ', ''), { ok: true, override: { decimals: 3 } });
  assert.deepEqual(parseOverrideDraft('', '0.0001'), { ok: true, override: { pipSize: 0.0001 } });
  assert.deepEqual(parseOverrideDraft('', '1e-4'), { ok: true, override: { pipSize: 0.0001 } });
  const bad = parseOverrideDraft('2.5', 'abc');
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.match(bad.errors.decimals ?? '', /whole number/);
    assert.match(bad.errors.pipSize ?? '', /positive number/);
  }
  assert.equal(parseOverrideDraft('11', '').ok, false);
  assert.equal(parseOverrideDraft('', '0').ok, false);
});

test('the book: stored scale beats live prices, overrides beat both, and subscribers hear changes', () => {
  const saved: unknown[] = [];
  const book = new InstrumentBook({}, (m) => saved.push(m));
  let heard = 0;
  const off = book.subscribe(() => heard++);
  const at = (s: string): Instrument => book.get(s);

  assert.equal(at('AUDJPY').decimalsFrom, 'default');
  assert.equal(book.wantsStored(), true, 'a symbol the store list lacks was asked for');
  book.observe('AUDJPY', 99.59);
  book.observe('AUDJPY', 99.592);
  book.observe('AUDJPY', 99.6); // fewer decimals never narrows
  assert.deepEqual([at('AUDJPY').decimals, at('AUDJPY').decimalsFrom], [3, 'observed']);
  book.observe('AUDJPY', 0.1 + 0.2); // noise: ignored
  assert.equal(at('AUDJPY').decimals, 3);

  const v = book.version;
  assert.equal(
    book.setStored([
      { symbol: 'AUDJPY', priceDecimals: 3 },
      { symbol: 'EURUSD', priceDecimals: 5 },
    ]),
    true,
  );
  assert.ok(book.version > v);
  assert.equal(at('AUDJPY').decimalsFrom, 'stored');
  assert.equal(book.setStored([{ symbol: 'AUDJPY', priceDecimals: 3 }]), false, 'nothing new');
  book.observe('AUDJPY', 99.5925);
  assert.equal(at('AUDJPY').decimals, 3, 'the stored scale wins over a live price once known');
  assert.equal(formatPriceFor(at('AUDJPY'), 99.592), '99.592');
  at('EURUSD');
  assert.equal(book.wantsStored(), false);

  book.setOverride('EURUSD', { pipSize: 0.00001 });
  assert.equal(at('EURUSD').pipSize, 0.00001);
  assert.equal(formatPips(at('EURUSD'), 1.13456, 1.13468), '12');
  assert.deepEqual(book.overridden(), ['EURUSD']);
  assert.deepEqual(saved.at(-1), { EURUSD: { pipSize: 0.00001 } });
  book.setOverride('EURUSD', null);
  assert.equal(at('EURUSD').pipSize, 0.0001);
  assert.deepEqual(saved.at(-1), {});
  assert.ok(heard >= 5);
  off();
  const before = heard;
  book.setOverride('EURUSD', { decimals: 4 });
  assert.equal(heard, before, 'unsubscribed');
});
