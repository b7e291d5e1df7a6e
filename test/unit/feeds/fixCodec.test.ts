// The jspurefix-backed codec: what the feed sends is valid FIX 4.4 (checked by our own framer and
// by re-decoding), and decoding keeps the wire text of times and the market data entries.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FixCodec } from '../../../electron/feeds/fix/fixCodec.ts';
import { FixDecodeError, createFixCodec } from '../../../electron/feeds/fix/fixCodec.ts';
import { FixFramer, fixToText } from '../../../electron/feeds/fix/fixFramer.ts';
import { Tag, marketDataRequest } from '../../../electron/feeds/fix/fixMessages.ts';
import {
  entryTimeUs,
  parseFixDateUs,
  parseFixTimeOfDayUs,
  parseFixTimestampUs,
} from '../../../electron/feeds/fix/fixTime.ts';

function fix(body: string): Buffer {
  const b = body.replaceAll('|', '\x01');
  const head = `8=FIX.4.4\x019=${Buffer.byteLength(b)}\x01`;
  let sum = 0;
  for (const c of Buffer.from(head + b)) sum += c;
  return Buffer.from(`${head}${b}10=${String(sum % 256).padStart(3, '0')}\x01`);
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000;
const header = (msgType: string, seqNum: number) => ({
  msgType,
  seqNum,
  senderCompId: 'TICKSCOPE',
  targetCompId: 'YOFX',
  sendingTimeUs: T0,
});

describe('fixCodec (jspurefix)', () => {
  let codec: FixCodec;
  before(async () => {
    codec = await createFixCodec();
  });

  it('encodes a Logon that frames, checksums and decodes back', () => {
    const bytes = codec.encode(header('A', 1), {
      EncryptMethod: 0,
      HeartBtInt: 30,
      ResetSeqNumFlag: true,
      Username: 'u1',
      Password: 'p1',
    });
    const text = fixToText(bytes);
    assert.match(text, /^8=FIX\.4\.4\|9=\d+\|35=A\|49=TICKSCOPE\|56=YOFX\|34=1\|52=20260102-03:04:05\.678\|/);
    assert.match(text, /\|98=0\|108=30\|141=Y\|553=u1\|554=p1\|10=\d{3}\|$/);
    const framer = new FixFramer();
    framer.push(bytes);
    const frame = framer.next();
    assert.equal(frame?.kind, 'message', 'our framer accepts it (BodyLength and CheckSum right)');
    const m = codec.decode(bytes);
    assert.equal(m.msgType, 'A');
    assert.equal(m.seqNum, 1);
    assert.equal(m.fields.get(Tag.HeartBtInt), '30');
    assert.equal(m.fields.get(Tag.ResetSeqNumFlag), 'Y');
  });

  it('encodes a MarketDataRequest with both repeating groups in dictionary order', () => {
    const text = fixToText(codec.encode(header('V', 2), marketDataRequest('req-1', 'EUR/USD')));
    assert.match(text, /\|262=req-1\|263=1\|264=1\|265=1\|267=2\|269=0\|269=1\|146=1\|55=EUR\/USD\|10=/);
  });

  it('encodes a GapFill as a possible duplicate with its original sending time', () => {
    const bytes = codec.encode(
      { ...header('4', 5), possDup: true, origSendingTimeUs: T0 - 1_000_000 },
      { GapFillFlag: true, NewSeqNo: 9 },
    );
    const m = codec.decode(bytes);
    assert.equal(m.possDup, true);
    assert.equal(m.origSendingTime, '20260102-03:04:04.678');
    assert.equal(m.fields.get(Tag.NewSeqNo), '9');
    assert.equal(m.fields.get(Tag.GapFillFlag), 'Y');
  });

  it('decodes snapshot and incremental entries with their wire text', () => {
    const w = codec.decode(
      fix(
        '35=W|49=YOFX|56=TICKSCOPE|34=8|52=20260101-10:00:00.123456|262=r1|55=EUR/USD|268=2|269=0|270=1.10|271=100|272=20260101|273=10:00:00.456789|269=1|270=1.20|271=200|',
      ),
    );
    assert.equal(w.sendingTime, '20260101-10:00:00.123456');
    assert.equal(w.fields.get(Tag.Symbol), 'EUR/USD');
    assert.deepEqual(w.entries, [
      {
        action: null,
        type: '0',
        symbol: null,
        px: '1.10',
        size: '100',
        date: '20260101',
        time: '10:00:00.456789',
      },
      { action: null, type: '1', symbol: null, px: '1.20', size: '200', date: null, time: null },
    ]);
    assert.equal(w.declaredEntries, 2);
    const x = codec.decode(
      fix(
        '35=X|49=YOFX|56=TICKSCOPE|34=9|52=20260101-10:00:00.123|262=r1|268=2|279=1|269=0|55=EUR/USD|270=1.1|271=5|279=2|269=1|55=GBP/USD|',
      ),
    );
    assert.deepEqual(
      x.entries?.map((e) => [e.action, e.type, e.symbol, e.px]),
      [
        ['1', '0', 'EUR/USD', '1.1'],
        ['2', '1', 'GBP/USD', null],
      ],
    );
  });

  it('reports a message whose group jspurefix cuts short (unknown tag inside) through declaredEntries', () => {
    const x = codec.decode(
      fix(
        '35=X|49=YOFX|56=TICKSCOPE|34=10|52=20260101-10:00:00.123|268=2|279=0|269=0|55=EUR/USD|270=1.1|9999=z|279=0|269=1|55=EUR/USD|270=1.2|',
      ),
    );
    assert.equal(x.declaredEntries, 2);
    assert.ok((x.entries?.length ?? 0) < 2, 'the dictionary-driven parser stopped at the unknown tag');
  });

  it('throws a typed error for a message without MsgSeqNum, and keeps decoding afterwards', () => {
    assert.throws(
      () => codec.decode(fix('35=0|49=YOFX|56=TICKSCOPE|52=20260101-10:00:00.123|')),
      (e: unknown) => e instanceof FixDecodeError && e.reason === 'missing_header',
    );
    const ok = codec.decode(fix('35=0|49=YOFX|56=TICKSCOPE|34=3|52=20260101-10:00:00.123|'));
    assert.equal(ok.seqNum, 3);
  });
});

describe('fixTime', () => {
  it('reads UTCTimestamp with ms, µs and ns (cut to µs) and refuses non-times', () => {
    const base = Date.UTC(2026, 2, 4, 5, 6, 7) * 1000;
    assert.equal(parseFixTimestampUs('20260304-05:06:07'), base);
    assert.equal(parseFixTimestampUs('20260304-05:06:07.123'), base + 123_000);
    assert.equal(parseFixTimestampUs('20260304-05:06:07.123456'), base + 123_456);
    assert.equal(parseFixTimestampUs('20260304-05:06:07.123456789'), base + 123_456);
    for (const bad of [
      '',
      '20260231-00:00:00',
      '20261304-00:00:00',
      '20260304-24:00:00',
      '20260304 05:06:07',
      'x',
    ])
      assert.equal(parseFixTimestampUs(bad), null, bad);
  });

  it('joins MDEntryDate and MDEntryTime, and takes a bare time from the reference day', () => {
    assert.equal(parseFixDateUs('20260304'), Date.UTC(2026, 2, 4) * 1000);
    assert.equal(parseFixTimeOfDayUs('01:02:03.5'), 3_723_500_000);
    const ref = Date.UTC(2026, 2, 4, 12, 0, 0) * 1000;
    assert.equal(
      entryTimeUs('20260304', '11:59:59.000001', ref),
      Date.UTC(2026, 2, 4, 11, 59, 59) * 1000 + 1,
    );
    assert.equal(entryTimeUs(null, '11:00:00', ref), Date.UTC(2026, 2, 4, 11) * 1000);
    // Sent just after midnight, stamped just before: the day before.
    const afterMidnight = Date.UTC(2026, 2, 5, 0, 0, 0, 100) * 1000;
    assert.equal(
      entryTimeUs(null, '23:59:59.900', afterMidnight),
      Date.UTC(2026, 2, 4, 23, 59, 59, 900) * 1000,
    );
    assert.equal(entryTimeUs(null, null, ref), null);
  });
});
