import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickscopeCallError } from '../../../shared/ipc/result.ts';
import type { ConnectionState } from '../../../renderer/transport/connectionState.ts';
import type { SocketLike } from '../../../renderer/transport/wsClient.ts';
import { CLOSE_UNAUTHORIZED, WsTickscopeClient } from '../../../renderer/transport/wsClient.ts';
import { buildWsUrl, tokenFromSearch } from '../../../renderer/transport/wsUrl.ts';
import { backoffDelayMs } from '../../../renderer/transport/backoff.ts';
import { unwrapResult } from '../../../renderer/transport/unwrap.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const states: ConnectionState[] = [];
  const client = new WsTickscopeClient({
    url: 'ws://127.0.0.1:9/ws?token=abc',
    tokenPresent: true,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    now: () => 0,
    random: () => 0.5,
  });
  client.onState((s) => states.push(s));
  client.start();
  return { client, sockets, timers, states };
}

test('ws url carries the page token and follows the page scheme', () => {
  assert.deepEqual(buildWsUrl({ protocol: 'http:', host: '127.0.0.1:8080', search: '?token=a%2Bb' }), {
    url: 'ws://127.0.0.1:8080/ws?token=a%2Bb',
    tokenPresent: true,
  });
  assert.equal(buildWsUrl({ protocol: 'https:', host: 'h', search: '' }).url, 'wss://h/ws');
  assert.equal(tokenFromSearch('?token='), null);
});

test('calls made before the socket opens are sent on open and matched to replies by id', async () => {
  const { client, sockets } = harness();
  const a = client.call('storage.health', {});
  const b = client.call('symbols.list', {});
  assert.equal(sockets[0].sent.length, 0);
  sockets[0].open();
  assert.deepEqual(sockets[0].sent, [
    { id: 1, channel: 'storage.health', input: {} },
    { id: 2, channel: 'symbols.list', input: {} },
  ]);
  // Replies may come back out of order.
  sockets[0].reply({ id: 2, result: { ok: true, value: [] } });
  sockets[0].reply({ id: 1, result: { ok: true, value: { status: 'ok', reasons: [] } } });
  assert.deepEqual(await a, { status: 'ok', reasons: [] });
  assert.deepEqual(await b, []);
});

test('an error envelope rejects with a typed TickscopeCallError naming the channel', async () => {
  const { client, sockets } = harness();
  sockets[0].open();
  const p = client.call('ticks.recent', { symbol: 'X', limit: 0 });
  sockets[0].reply({
    id: 1,
    result: { ok: false, error: { code: 'invalid_argument', message: 'limit too small', issues: ['limit'] } },
  });
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TickscopeCallError);
    assert.equal(err.code, 'invalid_argument');
    assert.deepEqual(err.issues, ['limit']);
    assert.match(err.message, /^ticks\.recent: limit too small/);
    return true;
  });
});

test('events reach their listeners until unsubscribed; a throwing listener does not starve others', () => {
  const { client, sockets } = harness();
  sockets[0].open();
  const got: unknown[] = [];
  const off = client.on('storage.health', (h) => got.push(h));
  client.on('storage.health', () => {
    throw new Error('broken view');
  });
  const origError = console.error;
  console.error = () => {};
  try {
    sockets[0].reply({ event: 'storage.health', payload: { status: 'warn', reasons: ['x'] } });
    off();
    sockets[0].reply({ event: 'storage.health', payload: { status: 'ok', reasons: [] } });
  } finally {
    console.error = origError;
  }
  assert.deepEqual(got, [{ status: 'warn', reasons: ['x'] }]);
});

test('a dropped connection fails calls in flight, reconnects with backoff, then flushes queued calls', async () => {
  const { client, sockets, timers, states } = harness();
  sockets[0].open();
  const inFlight = client.call('storage.stats', {});
  sockets[0].drop(1006, 'server went away');
  await assert.rejects(inFlight, (e: unknown) => e instanceof TickscopeCallError && e.code === 'unavailable');
  assert.equal(states.at(-1)!.kind, 'disconnected');
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 500);
  const queued = client.call('storage.health', {});
  timers[0].fn();
  assert.equal(sockets.length, 2);
  sockets[1].drop();
  assert.equal(timers[1].ms, 1000, 'second attempt waits longer');
  timers[1].fn();
  sockets[2].open();
  assert.equal(states.at(-1)!.kind, 'open');
  assert.deepEqual(sockets[2].sent, [{ id: 2, channel: 'storage.health', input: {} }]);
  sockets[2].reply({ id: 2, result: { ok: true, value: { status: 'ok', reasons: [] } } });
  assert.deepEqual(await queued, { status: 'ok', reasons: [] });
});

test('a refused token (close 4401) stops retrying and fails every call as unauthorized', async () => {
  const { client, sockets, timers, states } = harness();
  const queued = client.call('storage.health', {});
  sockets[0].drop(CLOSE_UNAUTHORIZED, 'bad token');
  assert.deepEqual(states.at(-1), { kind: 'unauthorized', tokenPresent: true });
  assert.equal(timers.length, 0);
  await assert.rejects(queued, (e: unknown) => e instanceof TickscopeCallError && e.code === 'unauthorized');
  await assert.rejects(client.call('storage.stats', {}), /access token refused/);
});

test('backoff grows exponentially with jitter and is capped', () => {
  const mid = { random: () => 0.5 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, mid)),
    [500, 1000, 2000, 4000, 8000, 10000, 10000],
  );
  assert.equal(backoffDelayMs(0, { random: () => 0 }), 375);
  assert.equal(backoffDelayMs(0, { random: () => 1 }), 625);
});

test('unwrap turns malformed replies into an internal error rather than undefined', () => {
  assert.equal(unwrapResult('c', { ok: true, value: 3 }), 3);
  assert.throws(
    () => unwrapResult('c', null as never),
    (e: unknown) => e instanceof TickscopeCallError && e.code === 'internal',
  );
});
