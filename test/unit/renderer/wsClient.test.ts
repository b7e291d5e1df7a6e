import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickscopeCallError } from '../../../shared/ipc/result.ts';
import type { ConnectionState } from '../../../renderer/transport/connectionState.ts';
import type { SocketLike } from '../../../renderer/transport/wsClient.ts';
import { CLOSE_UNAUTHORIZED, WsTickscopeClient } from '../../../renderer/transport/wsClient.ts';
import type { AccessCheck } from '../../../renderer/transport/accessCheck.ts';
import { createAccessCheck } from '../../../renderer/transport/accessCheck.ts';
import type { TokenPage } from '../../../renderer/transport/pageToken.ts';
import {
  TOKEN_STORAGE_KEY,
  searchWithoutToken,
  takePageToken,
} from '../../../renderer/transport/pageToken.ts';
import {
  buildWsUrl,
  tokenFromSearch,
  transportableToken,
  wsProtocols,
} from '../../../renderer/transport/wsUrl.ts';
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
  readonly protocols: string[];
  constructor(url: string, protocols: string[]) {
    this.url = url;
    this.protocols = protocols;
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

function harness(checkAccess?: () => Promise<AccessCheck>) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const states: ConnectionState[] = [];
  const client = new WsTickscopeClient({
    url: 'ws://127.0.0.1:9/ws',
    protocols: wsProtocols('abc'),
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    checkAccess,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
    now: () => 0,
    random: () => 0.5,
  });
  client.onState((s) => states.push(s));
  client.start();
  return { client, sockets, timers, states };
}

test('the ws url never carries the token, which travels as a subprotocol entry', () => {
  assert.equal(buildWsUrl({ protocol: 'http:', host: '127.0.0.1:8080' }), 'ws://127.0.0.1:8080/ws');
  assert.equal(buildWsUrl({ protocol: 'https:', host: 'h' }), 'wss://h/ws');
  assert.equal(tokenFromSearch('?token='), null);
  assert.equal(tokenFromSearch('?tab=live&token=a%2Bb'), 'a+b');
  assert.deepEqual(wsProtocols('Ab_9-x'), ['tickscope', 'token.Ab_9-x']);
  assert.deepEqual(wsProtocols(null), ['tickscope']);
  // new WebSocket throws on a subprotocol with a space or a comma; such a token is no server's.
  assert.deepEqual(wsProtocols('a b'), ['tickscope']);
  assert.equal(transportableToken('a,b'), null);
  assert.equal(transportableToken('a+b'), 'a+b');
  const { sockets } = harness();
  assert.equal(sockets[0].url, 'ws://127.0.0.1:9/ws');
  assert.deepEqual(sockets[0].protocols, ['tickscope', 'token.abc']);
});

function fakePage(href: string, stored: Record<string, string> = {}) {
  const url = new URL(href);
  const replaced: string[] = [];
  const store = new Map(Object.entries(stored));
  const page: TokenPage = {
    location: { pathname: url.pathname, search: url.search, hash: url.hash },
    history: {
      state: { kept: true },
      replaceState(data, _unused, next) {
        assert.deepEqual(data, { kept: true }, 'the history entry keeps its state');
        replaced.push(next ?? '');
      },
    },
    sessionStorage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
    },
  };
  return { page, replaced, store };
}

test('the page token moves from the address bar to sessionStorage, other parameters and the hash kept', () => {
  const { page, replaced, store } = fakePage('http://127.0.0.1:5317/?tab=history&token=T0K&zone=utc#x');
  assert.equal(takePageToken(page), 'T0K');
  assert.deepEqual(replaced, ['/?tab=history&zone=utc#x']);
  assert.equal(store.get(TOKEN_STORAGE_KEY), 'T0K');
  assert.equal(searchWithoutToken('?token=a'), '');

  const reload = fakePage('http://127.0.0.1:5317/?tab=live', { [TOKEN_STORAGE_KEY]: 'T0K' });
  assert.equal(takePageToken(reload.page), 'T0K', 'a reload of the tab finds it again');
  assert.deepEqual(reload.replaced, [], 'and leaves the URL alone');

  const fresh = fakePage('http://127.0.0.1:5317/');
  assert.equal(takePageToken(fresh.page), null);
  const newer = fakePage('http://127.0.0.1:5317/?token=NEW', { [TOKEN_STORAGE_KEY]: 'OLD' });
  assert.equal(takePageToken(newer.page), 'NEW', 'a newly printed URL replaces the old token');
  assert.equal(newer.store.get(TOKEN_STORAGE_KEY), 'NEW');
});

test('with storage disabled the token still leaves the URL and is used for this page', () => {
  const { page, replaced } = fakePage('http://h/?token=T0K');
  Object.defineProperty(page, 'sessionStorage', {
    get() {
      throw new Error('storage disabled');
    },
  });
  assert.equal(takePageToken(page), 'T0K');
  assert.deepEqual(replaced, ['/']);
});

test('the access check reads 401 as refused, 2xx as accepted, anything else as unknown', async () => {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const answering = (status: number | Error) =>
    createAccessCheck(async (url, init) => {
      seen.push({ url, headers: init.headers });
      if (status instanceof Error) throw status;
      return { status };
    }, 'T0K');
  assert.equal(await answering(401)(), 'refused');
  assert.equal(await answering(204)(), 'accepted');
  assert.equal(await answering(503)(), 'unknown');
  assert.equal(await answering(new TypeError('Failed to fetch'))(), 'unknown');
  assert.deepEqual(seen[0], { url: '/access-check', headers: { authorization: 'Bearer T0K' } });
  const noToken = createAccessCheck(async (_url, init) => {
    assert.deepEqual(init.headers, {}, 'the cookie alone is asked about');
    return { status: 204 };
  }, null);
  assert.equal(await noToken(), 'accepted');
});

/** An access check the test answers by hand. */
function manualCheck() {
  const answers: ((v: AccessCheck) => void)[] = [];
  const check = () => new Promise<AccessCheck>((resolve) => answers.push(resolve));
  return { check, answers };
}

test('a connect that fails with 1006 and a refused access check means a new token: no more retries', async () => {
  const { check, answers } = manualCheck();
  const { client, sockets, timers, states } = harness(check);
  const queued = client.call('storage.health', {});
  sockets[0].drop(1006);
  assert.equal(states.at(-1)!.kind, 'disconnected', 'until the check answers it is a reconnect');
  assert.equal(answers.length, 1);
  answers[0]('refused');
  await Promise.resolve();
  assert.deepEqual(states.at(-1), { kind: 'unauthorized' });
  assert.equal(timers[0].cleared, true, 'the pending retry is cancelled');
  await assert.rejects(queued, (e: unknown) => e instanceof TickscopeCallError && e.code === 'unauthorized');
  await assert.rejects(client.call('storage.stats', {}), /access token refused/);
  assert.equal(sockets.length, 1);
});

test('a server that is down keeps the reconnecting state; a stale refusal after reopening is ignored', async () => {
  const { check, answers } = manualCheck();
  const { sockets, timers, states } = harness(check);
  sockets[0].drop(1006);
  answers[0]('unknown');
  await Promise.resolve();
  assert.equal(states.at(-1)!.kind, 'disconnected');
  timers[0].fn();
  sockets[1].drop(1006);
  assert.equal(answers.length, 2, 'each failed attempt asks again');
  timers[1].fn();
  sockets[2].open();
  answers[1]('refused');
  await Promise.resolve();
  assert.equal(states.at(-1)!.kind, 'open');
  // A link that opened and then dropped (a server going away) asks nothing: the server says why.
  sockets[2].drop(1001, 'server shutting down');
  assert.equal(answers.length, 2);
  assert.equal(states.at(-1)!.kind, 'disconnected');
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
  assert.deepEqual(states.at(-1), { kind: 'unauthorized' });
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
