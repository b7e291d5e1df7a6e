// The WebSocket bridge's bounds, against a fake socket whose unsent bytes the test controls and
// a fake clock: what is dropped, when reading pauses, when a client is closed as too slow.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { DEFAULT_WS_LIMITS, WS_CLOSE_TOO_SLOW, attachConnection } from '../../../electron/server/wsBridge.ts';
import type { BridgeSocket, BridgeTimers } from '../../../electron/server/wsBridge.ts';

const MB = 1024 * 1024;
const L = DEFAULT_WS_LIMITS;
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  /** Unsent bytes: grows with every send unless the client reads (drain). */
  bufferedAmount = 0;
  /** When true, sent frames are read at once (bufferedAmount stays put). */
  reading = true;
  sent: Array<Record<string, unknown>> = [];
  closed: Array<{ code: number; reason: string }> = [];
  terminated = false;
  paused = false;
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
    if (!this.reading) this.bufferedAmount += Buffer.byteLength(data);
  }
  close(code: number, reason: string) {
    this.closed.push({ code, reason });
    this.readyState = 2;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  request(id: number, channel = 'ticks.range', input: unknown = {}) {
    this.emit('message', Buffer.from(JSON.stringify({ id, channel, input })), false);
  }
  answers() {
    return this.sent.filter((f) => typeof f.id === 'number');
  }
}

function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; every: number | null; fn: () => void }>();
  const t: BridgeTimers & { advance(ms: number): Promise<void> } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(nextId, { at: now + ms, every: null, fn });
      return nextId++;
    },
    setInterval: (fn, ms) => {
      timers.set(nextId, { at: now + ms, every: ms, fn });
      return nextId++;
    },
    clearTimeout: (h) => timers.delete(h as number),
    clearInterval: (h) => timers.delete(h as number),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, x] = due;
        now = x.at;
        if (x.every === null) timers.delete(id);
        else x.at += x.every;
        x.fn();
        await flush();
      }
      now = end;
      await flush();
    },
  };
  return t;
}

/** A service whose answers the test releases; each answer carries `answerBytes` of payload. */
function fakeService(answerBytes = 100) {
  const pending: Array<() => void> = [];
  const dispatched: number[] = [];
  let subscriber: { send(event: string, payload: unknown): void } | null = null;
  let closed = false;
  const service = {
    connect(s: { send(event: string, payload: unknown): void }) {
      subscriber = s;
      return {
        id: 1,
        dispatch: (_channel: unknown, input: unknown) =>
          new Promise((resolve) => {
            dispatched.push((input as { n?: number })?.n ?? dispatched.length);
            pending.push(() => resolve({ ok: true, value: 'x'.repeat(answerBytes) }));
          }),
        close() {
          closed = true;
        },
      };
    },
  } as unknown as TickscopeService;
  return {
    service,
    dispatched,
    emit: (event: string, payload: unknown) => subscriber?.send(event, payload),
    /** Answers the oldest `n` requests still running. */
    async release(n = pending.length) {
      for (const r of pending.splice(0, n)) r();
      await flush();
    },
    running: () => pending.length,
    isClosed: () => closed,
  };
}

function setup(answerBytes = 100) {
  const ws = new FakeSocket();
  const svc = fakeService(answerBytes);
  const timers = fakeTimers();
  const logs: string[] = [];
  attachConnection(ws as unknown as BridgeSocket, svc.service, (m) => logs.push(m), {}, timers);
  return { ws, svc, timers, logs };
}

test('a client that reads gets its answers and every event', async () => {
  const { ws, svc } = setup();
  ws.request(1);
  svc.emit('live.quotes', { q: 1 });
  svc.emit('storage.health', { status: 'ok' });
  await svc.release();
  assert.deepEqual(
    ws.sent.map((f) => f.event ?? f.id),
    ['live.quotes', 'storage.health', 1],
  );
  assert.equal(ws.paused, false);
});

test('live events are dropped above 8 MB unsent; other events and answers still go out', async () => {
  const { ws, svc } = setup();
  ws.bufferedAmount = L.dropEventsAboveBytes + 1;
  svc.emit('live.quotes', { q: 1 });
  svc.emit('live.ticks', { t: 1 });
  svc.emit('recording.status', { recording: true });
  ws.request(1);
  await svc.release();
  assert.deepEqual(
    ws.sent.map((f) => f.event ?? f.id),
    ['recording.status', 1],
  );
});

test(`at most ${L.maxInFlight} requests run at once; reading pauses until there is room`, async () => {
  const { ws, svc } = setup();
  for (let i = 0; i < 10; i++) ws.request(i, 'ticks.range', { n: i });
  assert.equal(svc.running(), L.maxInFlight);
  assert.equal(ws.paused, true);
  await svc.release(1);
  assert.equal(svc.running(), L.maxInFlight, 'a queued request took the free slot');
  assert.equal(ws.paused, true, 'still paused: requests are waiting');
  await svc.release();
  await svc.release();
  await svc.release();
  assert.deepEqual(svc.dispatched, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'in order, none lost');
  assert.equal(ws.answers().length, 10);
  assert.equal(ws.paused, false, 'reading resumed');
});

test('above 16 MB unsent no request is started; they start once the client has read', async () => {
  const { ws, svc, timers } = setup(10 * MB);
  ws.reading = false;
  ws.request(1);
  ws.request(2);
  await svc.release(); // two 10 MB answers: 20 MB unsent
  assert.ok(ws.bufferedAmount > L.maxUnsentBytes);
  ws.request(3);
  assert.equal(svc.running(), 0, 'request 3 waits');
  assert.equal(ws.paused, true);
  // The client reads everything.
  ws.bufferedAmount = 0;
  await timers.advance(L.pollMs);
  assert.equal(svc.running(), 1, 'request 3 started');
  assert.equal(ws.paused, false, 'reading resumed');
});

test('a client above 16 MB that reads nothing for 5 s is closed with 4008, then cut off', async () => {
  const { ws, svc, timers, logs } = setup(10 * MB);
  ws.reading = false;
  ws.request(1);
  ws.request(2);
  await svc.release();
  for (let i = 3; i < 50; i++) ws.request(i);
  await timers.advance(L.stallMs - L.pollMs);
  assert.equal(ws.closed.length, 0, 'not yet');
  await timers.advance(L.pollMs);
  assert.equal(ws.closed.length, 1);
  assert.equal(ws.closed[0].code, WS_CLOSE_TOO_SLOW);
  assert.match(ws.closed[0].reason, /reads too slowly/);
  assert.ok(Buffer.byteLength(ws.closed[0].reason) <= 123, 'fits a close frame');
  assert.ok(logs.some((l) => /reads too slowly: 20\.0 MB unsent and nothing read for 5000 ms/.test(l)));
  assert.equal(ws.terminated, false, 'the close handshake gets its grace');
  assert.equal(ws.paused, false, 'reading again, so the client can answer the close');
  ws.request(99);
  assert.equal(svc.running(), 0, 'requests arriving now are ignored');
  await timers.advance(L.closeGraceMs);
  assert.equal(ws.terminated, true);
  assert.equal(svc.isClosed(), true, 'the service connection is closed');
  assert.deepEqual(svc.dispatched, [0, 1], 'the queued requests were never computed');
});

test('a slow client that keeps reading is not closed', async () => {
  const { ws, svc, timers } = setup(10 * MB);
  ws.reading = false;
  ws.request(1);
  ws.request(2);
  await svc.release();
  for (let i = 0; i < 20; i++) {
    ws.bufferedAmount -= 100_000; // reads a little every 500 ms
    await timers.advance(500);
  }
  assert.ok(ws.bufferedAmount > L.maxUnsentBytes);
  assert.equal(ws.closed.length, 0);
});

test('a frame that would take the unsent bytes past 64 MB closes the client at once', async () => {
  const { ws, svc } = setup(40 * MB);
  ws.reading = false;
  ws.request(1);
  ws.request(2); // both start: nothing is unsent yet
  await svc.release();
  assert.equal(ws.answers().length, 1, 'the second 40 MB answer was not buffered');
  assert.equal(ws.closed[0]?.code, WS_CLOSE_TOO_SLOW);
});

test('one answer larger than the ceiling still goes to a client that has read everything', async () => {
  const { ws, svc } = setup(L.hardUnsentBytes + MB);
  ws.request(1);
  await svc.release();
  assert.equal(ws.answers().length, 1);
  assert.equal(ws.closed.length, 0);
});

test('requests beyond the queue are answered busy, not stored', async () => {
  const { ws, svc } = setup();
  const total = L.maxInFlight + L.maxQueued + 5;
  for (let i = 0; i < total; i++) ws.request(i);
  const busy = ws.answers().filter((f) => (f.result as { error?: { code: string } }).error?.code === 'busy');
  assert.equal(busy.length, 5);
  assert.equal(svc.running(), L.maxInFlight);
});

test('a malformed frame closes the socket with 1003', () => {
  const { ws } = setup();
  ws.emit('message', Buffer.from('not json'), false);
  assert.equal(ws.closed[0]?.code, 1003);
});

test('a request whose dispatch rejects is logged and frees its slot', async () => {
  const ws = new FakeSocket();
  const logs: string[] = [];
  let calls = 0;
  const service = {
    connect: () => ({
      id: 1,
      dispatch: () => (++calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve({ ok: true })),
      close() {},
    }),
  } as unknown as TickscopeService;
  attachConnection(
    ws as unknown as BridgeSocket,
    service,
    (m) => logs.push(m),
    { maxInFlight: 1 },
    fakeTimers(),
  );
  ws.request(1);
  ws.request(2);
  await flush();
  await flush();
  assert.ok(logs.some((l) => /request 1 failed: boom/.test(l)));
  assert.deepEqual(
    ws.answers().map((f) => f.id),
    [2],
  );
});
