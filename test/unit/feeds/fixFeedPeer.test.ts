// The FIX feed over a real socket against a hand-written peer, for what QuickFIX will not do on
// request: garbage on the wire, a peer that goes silent, backpressure, and texts that echo the
// password.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import type { FixCodec } from '../../../electron/feeds/fix/fixCodec.ts';
import { createFixCodec } from '../../../electron/feeds/fix/fixCodec.ts';
import { createFixFeed } from '../../../electron/feeds/fix/fixFeed.ts';
import { FixFramer } from '../../../electron/feeds/fix/fixFramer.ts';
import type { FixBody, FixInbound } from '../../../electron/feeds/fix/fixMessages.ts';
import { Tag } from '../../../electron/feeds/fix/fixMessages.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { FIX_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const PASSWORD = 'hunter2-XYZ-pw';

interface Peer {
  port: number;
  received: FixInbound[];
  connections: number;
  send(msgType: string, body: FixBody, opts?: { seq?: number; possDup?: boolean }): Buffer;
  raw(b: Buffer | string): void;
  dropConnection(): void;
  close(): Promise<void>;
}

/** A FIX acceptor in a few lines: answers Logon, hands every other message to `onMessage`. */
async function startPeer(
  codec: FixCodec,
  onMessage: (m: FixInbound, peer: Peer) => void = () => {},
  opts: { answerLogon?: boolean } = {},
): Promise<Peer> {
  let socket: net.Socket | null = null;
  let nextSeq = 1;
  const server = net.createServer((s) => {
    socket = s;
    peer.connections++;
    const framer = new FixFramer();
    s.on('data', (d) => {
      framer.push(d);
      for (let f = framer.next(); f; f = framer.next()) {
        if (f.kind !== 'message') continue;
        const m = codec.decode(f.bytes);
        peer.received.push(m);
        if (m.msgType === 'A' && opts.answerLogon !== false)
          peer.send('A', { EncryptMethod: 0, HeartBtInt: 30 });
        else if (m.msgType === '5') peer.send('5', {});
        else onMessage(m, peer);
      }
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer: Peer = {
    port: (server.address() as net.AddressInfo).port,
    received: [],
    connections: 0,
    send(msgType, body, o = {}) {
      const seq = o.seq ?? nextSeq++;
      const bytes = codec.encode(
        {
          msgType,
          seqNum: seq,
          senderCompId: 'LP',
          targetCompId: 'US',
          sendingTimeUs: Date.now() * 1000,
          possDup: o.possDup,
          origSendingTimeUs: o.possDup ? Date.now() * 1000 : undefined,
        },
        body,
      );
      socket?.write(bytes);
      return bytes;
    },
    raw(b) {
      socket?.write(b);
    },
    dropConnection() {
      socket?.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        socket?.destroy();
        server.close(() => r());
      }),
  };
  return peer;
}

const snapshot = (symbol: string, bid: number, ask: number): FixBody => ({
  MDReqID: 'x',
  Instrument: { Symbol: symbol },
  MDFullGrp: {
    NoMDEntries: [
      { MDEntryType: '0', MDEntryPx: bid, MDEntrySize: 1 },
      { MDEntryType: '1', MDEntryPx: ask, MDEntrySize: 1 },
    ],
  },
});

const config = (port: number, extra: Record<string, unknown> = {}) =>
  FIX_FEED_SCHEMA.parse({
    id: 'lp',
    kind: 'fix',
    host: '127.0.0.1',
    port,
    senderCompId: 'US',
    targetCompId: 'LP',
    usePassword: true,
    heartbeatSec: 30,
    symbols: ['EUR/USD'],
    ...extra,
  });

function recorder() {
  const ticks: TickInput[] = [];
  const events: FeedEvent[] = [];
  return {
    ticks,
    events,
    sink: {
      tick: (t: TickInput) => ticks.push({ ...t }),
      event: (e: FeedEvent) => events.push(e),
      wait: () => null,
    },
  };
}

describe('FIX feed with a hand-written peer', async () => {
  const codec = await createFixCodec();
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('counts garbage by reason with a sample, survives it, and recovers the message it lost', async () => {
    const peer = await startPeer(codec, (m, p) => {
      if (m.msgType === 'V') {
        p.send('W', snapshot('EUR/USD', 1.1, 1.2));
        // seq 3, corrupted in transit: bad checksum → dropped, not counted as received.
        const lost = codec.encode(
          {
            msgType: 'W',
            seqNum: 3,
            senderCompId: 'LP',
            targetCompId: 'US',
            sendingTimeUs: Date.now() * 1000,
          },
          snapshot('EUR/USD', 1.3, 1.4),
        );
        const corrupt = Buffer.from(lost);
        corrupt[corrupt.length - 3] = corrupt[corrupt.length - 3] === 0x30 ? 0x31 : 0x30;
        p.raw(corrupt);
        p.raw('garbage between messages\r\n');
        p.raw('8=FIX.4.4\x019=20\x0135=0\x0149=LP\x01garbled\x0110=000\x01');
        p.raw('8=FIX.4.4\x019=500\x0135=W\x0149=LP\x01');
        p.raw('\x01');
        p.send('W', snapshot('EUR/USD', 1.5, 1.6), { seq: 4 });
      }
      if (m.msgType === '2') {
        assert.equal(m.fields.get(Tag.BeginSeqNo), '3');
        p.send('W', snapshot('EUR/USD', 1.3, 1.4), { seq: 3, possDup: true });
      }
    });
    cleanups.push(() => peer.close());
    const rec = recorder();
    const feed = createFixFeed(config(peer.port), { secrets: { password: PASSWORD } });
    cleanups.push(() => feed.stop());
    feed.start(rec.sink);
    await waitFor('three ticks', () => rec.ticks.length >= 3, 10_000);
    assert.deepEqual(
      rec.ticks.map((t) => [t.seq, t.bid]),
      [
        [2000, 1.1],
        [3000, 1.3],
        [4000, 1.5],
      ],
    );
    const malformed = Object.fromEntries(feed.status().malformed.map((m) => [m.reason, m]));
    assert.equal(malformed.bad_checksum?.count, 1);
    assert.match(malformed.bad_checksum.sample, /^8=FIX\.4\.4\|9=\d+\|35=W\|/);
    assert.ok(malformed.not_fix?.count >= 1);
    assert.ok(
      (malformed.truncated?.count ?? 0) +
        (malformed.garbled_field?.count ?? 0) +
        (malformed.bad_body_length?.count ?? 0) >=
        2,
    );
    assert.ok(rec.events.some((e) => e.kind === 'sequence_gap' && e.fromSeq === 3 && e.toSeq === 3));
    assert.ok(rec.events.some((e) => e.kind === 'gap_filled' && e.fromSeq === 3));
    assert.equal(feed.status().state, 'live');
  });

  it('pauses reads while the sink asks to wait, and loses nothing', async () => {
    const peer = await startPeer(codec, (m, p) => {
      if (m.msgType !== 'V') return;
      for (let i = 0; i < 50; i++) p.send('W', snapshot('EUR/USD', 1 + i / 1000, 2));
    });
    cleanups.push(() => peer.close());
    const ticks: TickInput[] = [];
    let release: () => void = () => {};
    let gate: Promise<void> | null = null;
    const feed = createFixFeed(config(peer.port), { secrets: { password: PASSWORD } });
    cleanups.push(() => feed.stop());
    feed.start({
      tick: (t) => {
        ticks.push({ ...t });
        if (ticks.length === 10) gate = new Promise<void>((r) => (release = r));
      },
      event: () => {},
      wait: () => gate,
    });
    await waitFor('ten ticks', () => ticks.length >= 10, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ticks.length, 10, 'no tick while the sink waits');
    assert.equal(feed.status().paused, true);
    gate = null;
    release();
    await waitFor('all fifty', () => ticks.length === 50, 10_000);
    assert.deepEqual(
      ticks.map((t) => t.seq),
      Array.from({ length: 50 }, (_, i) => (i + 2) * 1000),
    );
    assert.equal(feed.status().paused, false);
    assert.ok(feed.status().pausedMs >= 150);
  });

  it('finds a silent peer dead (TestRequest unanswered), reconnects with backoff and logs on again', async () => {
    const clock = new ManualFeedClock(Date.now() * 1000);
    const peer = await startPeer(codec, () => {
      // Silent: answers nothing but the Logon.
    });
    cleanups.push(() => peer.close());
    const rec = recorder();
    const feed = createFixFeed(config(peer.port, { heartbeatSec: 10 }), {
      clock,
      secrets: { password: PASSWORD },
      backoff: { random: () => 0.5, baseMs: 1_000 },
      session: { logoutTimeoutMs: 10 },
    });
    cleanups.push(async () => {
      // stop() waits for the Logout answer on the hand-driven clock: move it until it gives up.
      let done = false;
      const p = feed.stop().then(() => (done = true));
      for (let i = 0; i < 200 && !done; i++) {
        clock.advanceMs(50);
        await new Promise((r) => setTimeout(r, 5));
      }
      await p;
    });
    feed.start(rec.sink);
    await waitFor('logged on', () => feed.status().state === 'live', 10_000);
    clock.advanceMs(12_001);
    await waitFor('a TestRequest', () => peer.received.some((m) => m.msgType === '1'), 5_000);
    clock.advanceMs(12_001);
    await waitFor('the disconnect', () => rec.events.some((e) => e.kind === 'disconnect'), 5_000);
    const disconnect = rec.events.find((e) => e.kind === 'disconnect') as FeedEvent;
    assert.match(disconnect.reason, /no answer to TestRequest/);
    const reconnect = rec.events.find((e) => e.kind === 'reconnect') as FeedEvent;
    assert.match(reconnect.reason, /attempt 1 in 500 ms/);
    assert.equal(feed.status().state, 'reconnecting');
    clock.advanceMs(500);
    await waitFor(
      'logged on again',
      () => rec.events.filter((e) => e.kind === 'connect').length === 2,
      10_000,
    );
    assert.equal(peer.connections, 2);
    const logons = peer.received.filter((m) => m.msgType === 'A');
    assert.equal(logons.length, 2);
    assert.ok(logons[1].seqNum > logons[0].seqNum, 'the second Logon continues our numbers');
  });

  it('masks the password wherever the peer echoes it, and refuses to start without one', async () => {
    const peer = await startPeer(codec, (m, p) => {
      if (m.msgType === 'V') {
        p.send('3', {
          RefSeqNum: m.seqNum,
          SessionRejectReason: 99,
          Text: `your password ${PASSWORD} is odd`,
        });
        p.raw(`8=FIX.4.4\x019=5\x0135=A\x01554=${PASSWORD}\x0110=000\x01`);
      }
    });
    cleanups.push(() => peer.close());
    const rec = recorder();
    const lines: string[] = [];
    const feed = createFixFeed(config(peer.port), {
      secrets: { password: PASSWORD },
      log: (l) => lines.push(l),
    });
    cleanups.push(() => feed.stop());
    feed.start(rec.sink);
    await waitFor('the reject', () => rec.events.some((e) => e.kind === 'rejected'), 10_000);
    await waitFor('the malformed echo', () => feed.status().malformed.length > 0, 10_000);
    const shown = JSON.stringify([feed.status(), rec.events, feed.lastMessages(), lines]);
    assert.ok(!shown.includes(PASSWORD), shown);
    assert.match(shown, /your password \*\*\* is odd/);
    assert.match(shown, /554=\*\*\*/);

    const none = createFixFeed(config(peer.port), {});
    none.start(recorder().sink);
    await waitFor('the refusal', () => none.status().lastError !== null, 5_000);
    assert.match(none.status().lastError ?? '', /no password/);
    assert.equal(none.status().state, 'stopped');
    await none.stop();
  });
});
