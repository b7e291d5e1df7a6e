import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLORS } from '../../../renderer/charts/chartTheme.ts';
import { instrumentFor } from '../../../renderer/format/instrument.ts';
import { lastPrices } from '../../../renderer/live/axisPrices.ts';
import { BBO_COLOUR, BBO_FILTER, planLines } from '../../../renderer/live/liveLines.ts';
import { TickWindow } from '../../../renderer/live/tickWindow.ts';
import { UserGesture } from '../../../renderer/live/userGesture.ts';

test("a view change counts as the user's during a wheel turn or a held button, not after a resume", () => {
  // The page's listeners go on globalThis (the window in a browser); Node's needs an EventTarget's.
  const page = new EventTarget();
  const g = globalThis as unknown as Record<string, unknown>;
  g.addEventListener = page.addEventListener.bind(page);
  g.removeEventListener = page.removeEventListener.bind(page);
  const host = new EventTarget();
  try {
    const u = new UserGesture(host);
    const now = () => performance.now();
    assert.equal(u.active(now()), false, 'nothing touched: the chart moved itself');
    host.dispatchEvent(new Event('wheel'));
    assert.equal(u.active(now()), true);
    assert.equal(u.active(now() + 1000), false, 'a wheel turn counts for a moment only');
    host.dispatchEvent(new Event('pointerdown'));
    assert.equal(u.pointerDown, true);
    assert.equal(u.active(now() + 60_000), true, 'a held button counts until it is released');
    u.resumed(now());
    assert.equal(u.active(now()), false, 'End pressed during the drag: that drag no longer counts');
    page.dispatchEvent(new Event('pointerup'));
    assert.equal(u.pointerDown, false);
    host.dispatchEvent(new Event('pointerdown'));
    assert.equal(u.active(now()), true, 'a new drag after the resume counts');
    u.destroy();
  } finally {
    delete g.addEventListener;
    delete g.removeEventListener;
  }
});

test('the price axis labels each drawn line, or only the BBO when it is drawn', () => {
  const w = new TickWindow(10);
  w.append(1, 1.1, 1.3, 'LP-A');
  w.append(2, 1.2, 1.4, 'LP-B');
  w.append(3, 1.15, 1.25, 'LP-A');
  const inst = instrumentFor('EURUSD', { decimals: 5, from: 'stored' });
  const colours = new Map<string, number>();
  const one = lastPrices(w, planLines(w.sources(), 'LP-B', true, colours).lines, 10, inst);
  assert.deepEqual(one, [
    { price: 1.2, colour: COLORS.bid, text: '1.20000' },
    { price: 1.4, colour: COLORS.ask, text: '1.40000' },
  ]);
  const both = lastPrices(w, planLines(w.sources(), null, false, colours).lines, 10, inst);
  assert.deepEqual(
    both.map((p) => p.price),
    [1.15, 1.25, 1.2, 1.4],
  );
  const bbo = lastPrices(w, planLines(w.sources(), null, true, colours).lines, 10, inst);
  assert.deepEqual(
    bbo.map((p) => [p.price, p.colour]),
    [
      [1.2, BBO_COLOUR],
      [1.25, BBO_COLOUR],
    ],
  );
  const alone = lastPrices(w, planLines(w.sources(), BBO_FILTER, true, colours).lines, 10, inst);
  assert.deepEqual(
    alone.map((p) => p.colour),
    [COLORS.bid, COLORS.ask],
  );
  assert.deepEqual(
    lastPrices(w, planLines(w.sources(), null, false, colours).lines, 1, inst).map((p) => p.price),
    [1.1, 1.3],
    'as of the edge given: LP-B had not quoted yet',
  );
});
