// The managed socket against a bare local WebSocketServer: reconnect after a cut without a close
// frame, dead-socket detection, backpressure, recycling without a gap, stop.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { systemFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { createFeedTracker } from '../../../electron/feeds/core/feedTracker.ts';
import { createReconnectBackoff } from '../../../electron/feeds/core/reconnectBackoff.ts';
import { createWsConnection } from '../../../electron/feeds/core/wsConnection.ts';
import type { WsConnectionOptions, WsSession } from '../../../electron/feeds/core/wsConnection.ts';
import { collectingSink } from '../../helpers/peers/collectingSink.ts';
import { waitFor } from '../../helpers/waitFor.ts';

async function server(opts: { autoPong?: boolean } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: opts.autoPong ?? true });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const sockets: WebSocket[] = [];
  const received: string[] = [];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (d) => received.push(d.toString()));
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    wss,
    url: `ws://127.0.0.1:${port}/ws`,
    sockets,
    received,
    latest: () => sockets.at(-1)!,
    open: () => sockets.filter((s) => s.readyState === s.OPEN),
    close: () =>
      new Promise<void>((r) => {
        for (const s of wss.clients) s.terminate();
        wss.close(() => r());
      }),
  };
}

function connection(url: string, extra: Partial<WsConnectionOptions> = {}) {
  const sink = collectingSink();
  const clock = systemFeedClock;
  const tracker = createFeedTracker({
    id: 't',
    kind: 'ws-json',
    source: 't',
    endpoint: url,
    symbols: [],
    clock,
    sink,
  });
  const got: { data: string | Buffer; recvUs: number; gen: number }[] = [];
  const opens: number[] = [];
  const conn = createWsConnection({
    url,
    clock,
    tracker,
    wait: () => sink.wait(),
    backoff: createReconnectBackoff({ baseMs: 20, maxMs: 100 }),
    onOpen(s: WsSession) {
      opens.push(s.generation);
      s.send('subscribe');
    },
    onMessage(data, recvUs, s) {
      got.push({ data, recvUs, gen: s.generation });
    },
    ...extra,
  });
  return { sink, tracker, conn, got, opens };
}

test('connects, resubscribes after a cut without a close frame, ledgers 1006 then reconnect then connect', async () => {
  const srv = await server();
  const c = connection(srv.url);
  try {
    c.conn.start();
    await waitFor('subscribe', () => srv.received.includes('subscribe'));
    srv.latest().send('one');
    await waitFor('first message', () => c.got.length === 1);
    assert.equal(c.got[0].data, 'one');
    assert.ok(Math.abs(c.got[0].recvUs - Date.now() * 1000) < 5_000_000);
    assert.equal(c.tracker.status().state, 'live');
    srv.latest().terminate();
    await waitFor('resubscribe', () => srv.received.filter((m) => m === 'subscribe').length === 2);
    await waitFor('live again', () => c.conn.live);
    srv.latest().send('two');
    await waitFor('message after reconnect', () => c.got.length === 2);
    assert.deepEqual(c.opens, [1, 2]);
    assert.equal(c.got[1].gen, 2);
    const kinds = c.sink.events.map((e) => e.kind);
    assert.deepEqual(kinds, ['connect', 'disconnect', 'reconnect', 'connect']);
    const d = c.sink.eventsOf('disconnect')[0];
    assert.equal(d.code, 1006);
    assert.match(d.reason, /without a close frame/);
    assert.equal(c.sink.eventsOf('connect')[1].sinceUs, d.tsUs);
    assert.equal(c.tracker.status().reconnects, 1);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('a close frame with a reason is ledgered with its code and reason', async () => {
  const srv = await server();
  const c = connection(srv.url);
  try {
    c.conn.start();
    await waitFor('open', () => srv.open().length === 1);
    srv.latest().close(1013, 'overloaded');
    await waitFor('disconnect', () => c.sink.eventsOf('disconnect').length === 1);
    const d = c.sink.eventsOf('disconnect')[0];
    assert.deepEqual([d.code, d.reason], [1013, 'try again later: overloaded']);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('a refused connection is retried forever with backoff, each attempt counted and ledgered', async () => {
  const srv = await server();
  const url = srv.url;
  await srv.close();
  const c = connection(url);
  try {
    c.conn.start();
    await waitFor('several attempts', () => c.tracker.status().reconnects >= 4);
    const r = c.sink.eventsOf('reconnect');
    assert.ok(r.length >= 4);
    assert.match(r[0].reason, /attempt 1 .*could not connect: .*ECONNREFUSED/);
    assert.equal(c.sink.eventsOf('disconnect').length, 0, 'never connected: nothing to disconnect');
    assert.equal(c.tracker.status().state, 'reconnecting');
    assert.match(c.tracker.status().lastError ?? '', /ECONNREFUSED/);
  } finally {
    await c.conn.stop();
  }
});

test('dead socket: the peer stops answering pings and sending → terminated within the bound, reconnected', async () => {
  const srv = await server({ autoPong: false });
  const c = connection(srv.url, { pingIntervalMs: 100, deadAfterMs: 300 });
  try {
    c.conn.start();
    await waitFor('open', () => c.conn.live);
    const openedAt = Date.now();
    await waitFor('dead detected', () => c.sink.eventsOf('disconnect').length === 1, 5_000);
    const took = Date.now() - openedAt;
    const d = c.sink.eventsOf('disconnect')[0];
    const silentS = Number(/^no pong for ([\d.]+) s$/.exec(d.reason)?.[1]);
    assert.ok(silentS >= 0.3 && silentS < 3, `killed after ${silentS} s of silence`);
    assert.equal(d.code, 1006);
    assert.ok(took < 3_000, `detected after ${took} ms`);
    await waitFor('reconnected', () => c.opens.length === 2);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('a peer that answers pings is not declared dead even when it sends nothing', async () => {
  const srv = await server({ autoPong: true });
  const c = connection(srv.url, { pingIntervalMs: 50, deadAfterMs: 150 });
  try {
    c.conn.start();
    await waitFor('open', () => c.conn.live);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(c.sink.eventsOf('disconnect').length, 0);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('server pings are answered by the client (autoPong)', async () => {
  const srv = await server();
  const c = connection(srv.url);
  try {
    c.conn.start();
    await waitFor('open', () => srv.open().length === 1);
    const pong = new Promise<string>((r) => srv.latest().once('pong', (d) => r(d.toString())));
    srv.latest().ping('are-you-there');
    assert.equal(await pong, 'are-you-there');
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('backpressure: while wait() is pending reads pause (server buffer grows), then everything arrives in order', async () => {
  const srv = await server();
  const c = connection(srv.url, { pingIntervalMs: 50, deadAfterMs: 150 });
  try {
    c.conn.start();
    await waitFor('open', () => c.conn.live);
    c.sink.hold();
    const peer = srv.latest();
    const big = 'x'.repeat(1000);
    let sent = 0;
    // Send until the peer's own buffer stays non-empty: the client has stopped reading.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (let i = 0; i < 500; i++) peer.send(`${sent++}:${big}`);
      await new Promise((r) => setTimeout(r, 20));
      if (peer.bufferedAmount > 1_000_000) break;
    }
    assert.ok(
      peer.bufferedAmount > 1_000_000,
      `the peer's send buffer filled (${peer.bufferedAmount} bytes)`,
    );
    const deliveredWhileHeld = c.got.length;
    assert.equal(deliveredWhileHeld, 0, 'nothing handed over while the sink waits');
    assert.equal(c.tracker.status().paused, true);
    // The pause is ours: no dead-socket verdict although pongs are not read.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(c.sink.eventsOf('disconnect').length, 0);
    c.sink.release();
    await waitFor('all delivered', () => c.got.length === sent, 20_000);
    for (let i = 0; i < sent; i++)
      assert.ok((c.got[i].data as string).startsWith(`${i}:`), `message ${i} in order`);
    assert.equal(c.tracker.status().paused, false);
    assert.ok(c.tracker.status().pausedMs >= 300);
  } finally {
    c.sink.release();
    await c.conn.stop();
    await srv.close();
  }
});

test('recycle opens the new socket first, overlaps, then closes the old one with no disconnect ledgered', async () => {
  const srv = await server();
  const c = connection(srv.url, { recycleOverlapMs: 100 });
  try {
    c.conn.start();
    await waitFor('open', () => c.conn.live);
    c.conn.recycle('test');
    await waitFor('second subscribe', () => srv.received.filter((m) => m === 'subscribe').length === 2);
    assert.equal(srv.open().length, 2, 'both sockets open during the overlap');
    srv.sockets[0].send('old');
    srv.sockets[1].send('new');
    await waitFor('old closed', () => srv.sockets[0].readyState === srv.sockets[0].CLOSED, 5_000);
    await waitFor('both messages', () => c.got.length === 2);
    assert.deepEqual(c.got.map((g) => g.gen).sort(), [1, 2]);
    assert.equal(c.sink.eventsOf('disconnect').length, 0);
    assert.match(c.sink.eventsOf('connect')[1].reason, /without a gap: test/);
    assert.equal(c.sink.eventsOf('connect')[1].sinceUs, null);
    srv.sockets[1].send('after');
    await waitFor('after', () => c.got.length === 3);
    assert.equal(c.conn.live, true);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('maxLifetimeMs recycles by itself', async () => {
  const srv = await server();
  const c = connection(srv.url, { maxLifetimeMs: 150, recycleOverlapMs: 50 });
  try {
    c.conn.start();
    await waitFor('recycled twice', () => c.opens.length >= 3, 10_000);
    assert.equal(c.sink.eventsOf('disconnect').length, 0);
    assert.match(c.sink.eventsOf('connect')[1].reason, /planned lifetime/);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('checkConnection on a silent dead peer finds it within the probe bound', async () => {
  const srv = await server({ autoPong: false });
  // long ping interval: only the check can find it quickly
  const c = connection(srv.url, { pingIntervalMs: 60_000, deadAfterMs: 2_000 });
  try {
    c.conn.start();
    await waitFor('open', () => c.conn.live);
    const checkedAt = Date.now();
    c.conn.checkConnection();
    await waitFor('check fails', () => c.sink.eventsOf('disconnect').length === 1, 5_000);
    assert.match(c.sink.eventsOf('disconnect')[0].reason, /no answer to a connection check within 1 s/);
    assert.ok(Date.now() - checkedAt < 4_000);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('an onMessage that throws is counted, never escapes, and the feed goes on', async () => {
  const srv = await server();
  let n = 0;
  const c = connection(srv.url, {
    onMessage() {
      n++;
      if (n === 1) throw new Error('adapter bug');
    },
  });
  try {
    c.conn.start();
    await waitFor('open', () => srv.open().length === 1);
    srv.latest().send('a');
    srv.latest().send('b');
    await waitFor('both', () => n === 2);
    const m = c.tracker.status().malformed.find((x) => x.reason === 'handler_error');
    assert.equal(m?.count, 1);
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('stop closes with a close frame, resolves, is idempotent, and does not reconnect', async () => {
  const srv = await server();
  const c = connection(srv.url);
  try {
    c.conn.start();
    await waitFor('open', () => srv.open().length === 1);
    const closed = new Promise<number>((r) => srv.latest().once('close', (code) => r(code)));
    await Promise.all([c.conn.stop(), c.conn.stop()]);
    assert.equal(await closed, 1000);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(srv.sockets.length, 1);
    assert.equal(c.tracker.status().state, 'stopped');
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});

test('the backoff grows while connections fail before going live, and starts over once one proves healthy', async () => {
  const srv = await server();
  // Every new connection is dropped at once, until the test lets one live.
  let drop = true;
  srv.wss.on('connection', (ws) => {
    if (drop) ws.terminate();
  });
  const backoff = createReconnectBackoff({ baseMs: 10, maxMs: 50 });
  let session: WsSession | null = null;
  const c = connection(srv.url, {
    backoff,
    awaitSubscription: true,
    onOpen(s) {
      session = s;
    },
  });
  try {
    c.conn.start();
    await waitFor('three failed connections', () => backoff.attempts >= 3);
    // Between failures it waits (reconnecting) or already tries again (connecting): never live.
    assert.ok(['reconnecting', 'connecting'].includes(c.tracker.status().state), c.tracker.status().state);
    drop = false;
    await waitFor('a connection that stays', () => srv.open().length === 1);
    await waitFor('subscribing', () => c.tracker.status().state === 'subscribing');
    assert.ok(backoff.attempts >= 3, 'open alone does not prove health');
    session!.markLive();
    assert.equal(backoff.attempts, 0);
    assert.equal(c.tracker.status().state, 'live');
  } finally {
    await c.conn.stop();
    await srv.close();
  }
});
