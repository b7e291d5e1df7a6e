import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FixFrame } from '../../../electron/feeds/fix/fixFramer.ts';
import { FixFramer, fixToText } from '../../../electron/feeds/fix/fixFramer.ts';

/** A well-formed FIX 4.4 message from `|`-separated body fields (from 35= on). */
function fix(body: string, opts: { checksum?: number; bodyLength?: number } = {}): Buffer {
  const b = body.replaceAll('|', '\x01');
  const head = `8=FIX.4.4\x019=${opts.bodyLength ?? Buffer.byteLength(b)}\x01`;
  let sum = 0;
  for (const c of Buffer.from(head + b)) sum += c;
  const cs = opts.checksum ?? sum % 256;
  return Buffer.from(`${head}${b}10=${String(cs).padStart(3, '0')}\x01`);
}

const HB = '35=0|49=LP|56=US|34=7|52=20260101-00:00:00.000|';

function drain(f: FixFramer): FixFrame[] {
  const out: FixFrame[] = [];
  for (let fr = f.next(); fr; fr = f.next()) out.push(fr);
  return out;
}

const kinds = (frames: FixFrame[]) =>
  frames.map((f) => (f.kind === 'message' ? `msg:${f.msgType}` : f.reason));

describe('FixFramer', () => {
  it('cuts messages out of a stream split at every byte and joined several per chunk', () => {
    const stream = Buffer.concat([
      fix(HB),
      fix('35=W|49=LP|56=US|34=8|52=20260101-00:00:00.000|55=EUR/USD|'),
      fix(HB),
    ]);
    const f = new FixFramer();
    const frames: FixFrame[] = [];
    for (const byte of stream) {
      f.push(Buffer.from([byte]));
      frames.push(...drain(f));
    }
    assert.deepEqual(kinds(frames), ['msg:0', 'msg:W', 'msg:0']);
    const whole = new FixFramer();
    whole.push(stream);
    const all = drain(whole);
    assert.deepEqual(kinds(all), ['msg:0', 'msg:W', 'msg:0']);
    assert.deepEqual(Buffer.concat(all.map((x) => x.bytes)), stream, 'every byte accounted for');
    assert.equal(whole.buffered, 0);
  });

  it('reports a bad checksum and goes on with the next message', () => {
    const f = new FixFramer();
    f.push(Buffer.concat([fix(HB, { checksum: 1 }), fix(HB)]));
    assert.deepEqual(kinds(drain(f)), ['bad_checksum', 'msg:0']);
  });

  it('reports junk before a message, a wrong BeginString and a garbled BodyLength, and resyncs', () => {
    const f = new FixFramer();
    f.push(
      Buffer.concat([
        Buffer.from('hello\r\n'),
        fix(HB),
        Buffer.from('8=FIX.4.2\x019=5\x0135=0\x0110=000\x01'),
        fix(HB),
        Buffer.from('8=FIX.4.4\x019=x1\x0135=0\x01'),
        fix(HB),
      ]),
    );
    assert.deepEqual(kinds(drain(f)), [
      'not_fix',
      'msg:0',
      'wrong_begin_string',
      'msg:0',
      'bad_body_length',
      'msg:0',
    ]);
  });

  it('reports a message cut short by the next one as truncated, without losing the next', () => {
    const whole = fix(
      '35=X|49=LP|56=US|34=9|52=20260101-00:00:00.000|262=r|268=1|279=0|269=0|55=EUR/USD|270=1.1|',
    );
    const cut = whole.subarray(0, 40);
    const f = new FixFramer();
    f.push(Buffer.concat([cut, Buffer.from('\x01'), fix(HB)]));
    const frames = drain(f);
    assert.deepEqual(kinds(frames), ['truncated', 'msg:0']);
  });

  it('reports a BodyLength that does not land on the CheckSum', () => {
    const f = new FixFramer();
    const body = '35=0|49=LP|56=US|34=7|52=20260101-00:00:00.000|';
    f.push(Buffer.concat([fix(body, { bodyLength: Buffer.byteLength(body) - 3 }), fix(HB)]));
    assert.deepEqual(kinds(drain(f)), ['bad_body_length', 'msg:0']);
  });

  it('reports garbled fields (no =, empty value, MsgType not third) as garbled_field', () => {
    const f = new FixFramer();
    f.push(
      Buffer.concat([
        fix('35=0|49=LP|garbage|34=7|'),
        fix('35=0|49=|56=US|34=7|'),
        fix('49=LP|35=0|56=US|34=7|'),
        fix('35=0|4a9=LP|'),
        fix(HB),
      ]),
    );
    assert.deepEqual(kinds(drain(f)), [
      'garbled_field',
      'garbled_field',
      'garbled_field',
      'garbled_field',
      'msg:0',
    ]);
  });

  it('refuses a BodyLength beyond the limit instead of waiting for it', () => {
    const f = new FixFramer({ maxBodyLength: 1000 });
    f.push(Buffer.concat([Buffer.from('8=FIX.4.4\x019=99999\x0135=0\x01'), fix(HB)]));
    assert.deepEqual(kinds(drain(f)), ['too_long', 'msg:0']);
  });

  it('waits for the rest of a partial message and calls what is left at the end truncated', () => {
    const f = new FixFramer();
    const m = fix(HB);
    f.push(m.subarray(0, m.length - 3));
    assert.equal(f.next(), null);
    assert.equal(f.buffered, m.length - 3);
    const tail = f.end();
    assert.equal(tail?.reason, 'truncated');
    assert.equal(f.end(), null);
  });

  it('never throws on random bytes and always makes progress', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const f = new FixFramer();
    const good = fix(HB);
    let messages = 0;
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.from(
        Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)),
      );
      // Sprinkle pieces that look like FIX so the parser's deeper paths run too.
      const piece = rand() < 0.3 ? Buffer.from('8=FIX.4.4\x019=') : rand() < 0.5 ? good : Buffer.alloc(0);
      f.push(Buffer.concat([junk, piece]));
      for (const fr of drain(f)) if (fr.kind === 'message') messages++;
    }
    f.push(Buffer.from('\x01'));
    f.push(good);
    const last = drain(f);
    assert.ok(
      last.some((x) => x.kind === 'message'),
      'a good message after the noise is still found',
    );
    assert.ok(messages > 100, `good messages inside the noise were found (${messages})`);
  });

  it('shows messages with | for SOH', () => {
    assert.equal(fixToText(Buffer.from('8=FIX.4.4\x019=5\x01')), '8=FIX.4.4|9=5|');
  });
});
