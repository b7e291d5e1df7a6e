import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FixInbound, FixMdEntry } from '../../../electron/feeds/fix/fixMessages.ts';
import { Tag } from '../../../electron/feeds/fix/fixMessages.ts';
import type { FixEntryProblem } from '../../../electron/feeds/fix/fixTopOfBook.ts';
import { FixTopOfBook } from '../../../electron/feeds/fix/fixTopOfBook.ts';
import { parseFixTimestampUs } from '../../../electron/feeds/fix/fixTime.ts';
import type { TickInput } from '../../../shared/tick.ts';

const SENT = '20260101-10:00:00.250000';
const SENT_US = parseFixTimestampUs(SENT) as number;

function entry(e: Partial<FixMdEntry>): FixMdEntry {
  return { action: null, type: null, symbol: null, px: null, size: null, date: null, time: null, ...e };
}

function msg(
  msgType: 'W' | 'X',
  seqNum: number,
  entries: FixMdEntry[],
  fields: [number, string][] = [],
): FixInbound {
  return {
    msgType,
    seqNum,
    possDup: false,
    senderCompId: 'LP',
    targetCompId: 'US',
    sendingTime: SENT,
    origSendingTime: null,
    fields: new Map(fields),
    entries,
    declaredEntries: entries.length,
  };
}

const snapshot = (seq: number, symbol: string, bid: string, ask: string, extra: Partial<FixMdEntry> = {}) =>
  msg(
    'W',
    seq,
    [
      entry({ type: '0', px: bid, size: '1000000', ...extra }),
      entry({ type: '1', px: ask, size: '2000000', ...extra }),
    ],
    [[Tag.Symbol, symbol]],
  );

function run(book: FixTopOfBook, m: FixInbound, requests: Record<string, string> = {}) {
  const ticks: TickInput[] = [];
  const problems: FixEntryProblem[] = [];
  book.apply(m, {
    source: 'YOFX',
    recvUs: 1_000,
    symbolForRequest: (id) => (id ? (requests[id] ?? null) : null),
    tick: (t) => ticks.push({ ...t }),
    problem: (r) => problems.push(r),
  });
  return { ticks, problems };
}

describe('FixTopOfBook', () => {
  it('ticks a snapshot with sizes, source, seq = MsgSeqNum*1000 and the entry time', () => {
    const book = new FixTopOfBook();
    const { ticks } = run(
      book,
      snapshot(7, 'EUR/USD', '1.0850', '1.0852', { date: '20260101', time: '09:59:59.999001' }),
    );
    assert.deepEqual(ticks, [
      {
        symbol: 'EUR/USD',
        bid: 1.085,
        ask: 1.0852,
        bidSize: 1_000_000,
        askSize: 2_000_000,
        source: 'YOFX',
        recvUs: 1_000,
        seq: 7000,
        tsUs: Date.UTC(2026, 0, 1, 9, 59, 59, 999) * 1000 + 1,
        noExchangeTime: undefined,
      },
    ]);
  });

  it('gives each symbol of one incremental its own seq, in order of appearance', () => {
    const book = new FixTopOfBook();
    run(book, snapshot(1, 'EUR/USD', '1.1', '1.2'));
    run(book, snapshot(2, 'GBP/USD', '1.3', '1.4'));
    const { ticks } = run(
      book,
      msg('X', 3, [
        entry({ action: '1', type: '0', symbol: 'GBP/USD', px: '1.31', size: '5' }),
        entry({ action: '1', type: '1', symbol: 'EUR/USD', px: '1.19', size: '6' }),
        entry({ action: '1', type: '1', symbol: 'GBP/USD', px: '1.39', size: '7' }),
      ]),
    );
    assert.deepEqual(
      ticks.map((t) => [t.symbol, t.seq, t.bid, t.ask, t.bidSize, t.askSize, t.tsUs]),
      [
        ['GBP/USD', 3000, 1.31, 1.39, 5, 7, SENT_US],
        ['EUR/USD', 3001, 1.1, 1.19, 1_000_000, 6, SENT_US],
      ],
    );
  });

  it('waits for both sides, drops a deleted side, and ticks only on a change', () => {
    const book = new FixTopOfBook();
    let r = run(book, msg('X', 1, [entry({ action: '0', type: '0', symbol: 'A', px: '10', size: '1' })]));
    assert.equal(r.ticks.length, 0, 'bid only: no tick');
    r = run(book, msg('X', 2, [entry({ action: '0', type: '1', symbol: 'A', px: '11', size: '1' })]));
    assert.equal(r.ticks.length, 1);
    r = run(book, msg('X', 3, [entry({ action: '1', type: '1', symbol: 'A', px: '11', size: '1' })]));
    assert.equal(r.ticks.length, 0, 'the same offer again changes nothing');
    r = run(book, msg('X', 4, [entry({ action: '1', type: '1', symbol: 'A', px: '11', size: '2' })]));
    assert.equal(r.ticks.length, 1, 'a size change is a change');
    r = run(book, msg('X', 5, [entry({ action: '2', type: '0', symbol: 'A' })]));
    assert.equal(r.ticks.length, 0, 'bid deleted: one side only');
    assert.deepEqual(book.bidAsk('A'), { bid: null, ask: 11 });
    r = run(book, msg('X', 6, [entry({ action: '0', type: '0', symbol: 'A', px: '9.5', size: '1' })]));
    assert.deepEqual(
      r.ticks.map((t) => [t.bid, t.ask]),
      [[9.5, 11]],
    );
    r = run(book, msg('X', 7, [entry({ action: '0', type: '2', symbol: 'A', px: '10', size: '1' })]));
    assert.equal(r.ticks.length, 0, 'trades (269=2) are not quotes');
  });

  it('takes the best level when a snapshot carries more than one', () => {
    const book = new FixTopOfBook();
    const { ticks } = run(
      book,
      msg(
        'W',
        1,
        [
          entry({ type: '0', px: '1.0' }),
          entry({ type: '0', px: '1.2' }),
          entry({ type: '1', px: '1.5' }),
          entry({ type: '1', px: '1.3' }),
        ],
        [[Tag.Symbol, 'S']],
      ),
    );
    assert.deepEqual(
      ticks.map((t) => [t.bid, t.ask, t.bidSize]),
      [[1.2, 1.3, undefined]],
    );
  });

  it('finds the symbol of an entry without one from the previous entry or the MDReqID', () => {
    const book = new FixTopOfBook();
    const { ticks } = run(
      book,
      msg(
        'X',
        9,
        [
          entry({ action: '0', type: '0', px: '1', size: '1' }),
          entry({ action: '0', type: '1', px: '2', size: '1' }),
          entry({ action: '0', type: '0', symbol: 'B', px: '3', size: '1' }),
          entry({ action: '0', type: '1', px: '4', size: '1' }),
        ],
        [[Tag.MDReqID, 'req-a']],
      ),
      { 'req-a': 'A' },
    );
    assert.deepEqual(
      ticks.map((t) => [t.symbol, t.bid, t.ask, t.seq]),
      [
        ['A', 1, 2, 9000],
        ['B', 3, 4, 9001],
      ],
    );
  });

  it('counts bad entries by reason and applies the rest', () => {
    const book = new FixTopOfBook();
    const { ticks, problems } = run(
      book,
      msg('X', 1, [
        entry({ action: '0', type: '0', symbol: 'A', px: 'abc' }),
        entry({ action: '0', type: '0', symbol: 'A', px: '-1' }),
        entry({ action: '9', type: '0', symbol: 'A', px: '1' }),
        entry({ action: '0', type: '0', symbol: 'A', px: '1', size: '1' }),
        entry({ action: '0', type: '1', symbol: 'A', px: '2', size: 'x' }),
      ]),
    );
    assert.deepEqual(problems, ['md_entry_bad_price', 'md_entry_bad_price', 'md_entry_bad_action']);
    assert.deepEqual(
      ticks.map((t) => [t.bid, t.ask, t.askSize]),
      [[1, 2, undefined]],
    );
    const none = run(book, msg('W', 2, [entry({ type: '0', px: '1' })]));
    assert.deepEqual(none.problems, ['md_entry_no_symbol']);
  });

  it('uses OrigSendingTime for a resent message, and starts afresh after clear()', () => {
    const book = new FixTopOfBook();
    const resent = {
      ...snapshot(4, 'A', '1', '2'),
      possDup: true,
      origSendingTime: '20260101-09:00:00.000001',
    };
    const first = run(book, resent);
    assert.equal(first.ticks[0].tsUs, Date.UTC(2026, 0, 1, 9) * 1000 + 1);
    assert.equal(run(book, snapshot(5, 'A', '1', '2')).ticks.length, 0, 'same quote: nothing new');
    book.clear();
    assert.equal(
      run(book, snapshot(6, 'A', '1', '2')).ticks.length,
      1,
      'after a reconnect the snapshot is a tick',
    );
  });
});
