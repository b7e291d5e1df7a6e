// The /replay WebSocket feed over real day files: it delivers exactly the stored ticks of the
// selection in stream order, refuses a wrong token with 401 and names what is wrong with a bad
// selection. The service is a stand-in around a real store, compared with its own streamPage reads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { tickAt } from '../../../electron/app/replay/replayPlayer.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { StreamSelection } from '../../../electron/engine/stream/streamTypes.ts';
import { startHttpServer } from '../../../electron/server/httpServer.ts';
import type { RunningServer } from '../../../electron/server/httpServer.ts';
import type { ReplayTick } from '../../../shared/replay.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { openTestStore, type TestStore } from '../../helpers/testStore.ts';

const TOKEN = 'b2'.repeat(32);
const DAY = Date.UTC(2024, 0, 2) * 1000;
const NOW = Date.UTC(2024, 0, 10, 12) * 1000;
let ts: TestStore;
let server: RunningServer;

function generated(): TickInput[] {
  const out: TickInput[] = [];
  for (let i = 0; i < 3000; i++) {
    const tsUs = DAY + Math.floor(i / 2) * 1000;
    for (const symbol of ['EURUSD', 'GBPUSD', 'USDJPY']) {
      const bid = 1.1 + (i % 11) * 0.0001;
      out.push({
        symbol,
        source: i % 3 ? 'lp1' : 'lp2',
        tsUs,
        bid,
        ask: bid + 0.0002,
        recvUs: tsUs + 40,
        ...(i % 4 ? { seq: i } : {}),
      });
    }
  }
  return out;
}

before(async () => {
  ts = await openTestStore('replay-feed', NOW);
  for (const t of generated()) ts.store.ingest(t);
  await ts.store.flush();
  server = await startHttpServer({
    // The feed reads the service's current store, through its reader workers.
    service: { store: () => ts.store } as unknown as TickscopeService,
    rendererDir: ts.dir,
    csp: "default-src 'self'",
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    log: () => {},
  });
});

after(async () => {
  await server.close();
  await ts.store.stop();
});

/** The stored ticks of a selection in stream order, read directly, page by page. */
async function stored(sel: StreamSelection): Promise<ReplayTick[]> {
  const out: ReplayTick[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await ts.store.streamPage(sel, cursor, 997);
    for (let i = 0; i < page.ticks.length; i++) out.push(tickAt(page, i));
    if (page.cursor === null) return out;
    cursor = page.cursor;
  }
}

interface Collected {
  messages: { type: string; [k: string]: unknown }[];
  closeCode: number;
}

function collect(query: string): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/replay?${query}`);
    const messages: Collected['messages'] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Collected['messages'][number]));
    ws.on('close', (code) => resolve({ messages, closeCode: code }));
    ws.on('error', reject);
  });
}

test('a max-speed replay delivers exactly the stored ticks of the selection, in stream order, then end', async () => {
  const from = DAY + 200_000;
  const to = DAY + 1_200_000;
  const got = await collect(
    `token=${TOKEN}&symbols=EURUSD,USDJPY&sources=lp1&from=${from}&to=${to}&speed=max`,
  );
  const hello = got.messages[0]!;
  assert.equal(hello.type, 'hello');
  assert.deepEqual(hello.symbols, ['EURUSD', 'USDJPY']);
  const ticks = got.messages.filter((m) => m.type === 'ticks').flatMap((m) => m.ticks as ReplayTick[]);
  const expected = await stored({ symbols: ['EURUSD', 'USDJPY'], sources: ['lp1'], fromUs: from, toUs: to });
  assert.ok(expected.length > 500, `selection holds ${expected.length} ticks`);
  assert.deepEqual(ticks, expected);
  assert.ok(ticks.every((t) => t.source === 'lp1' && t.symbol !== 'GBPUSD'));
  assert.deepEqual(got.messages.at(-1), { type: 'end', count: expected.length });
  assert.equal(got.closeCode, 1000);
});

test('an ISO start time and 1000x pacing still deliver the stored ticks in order', async () => {
  const fromIso = new Date((DAY + 1_000_000) / 1000).toISOString();
  const got = await collect(`token=${TOKEN}&symbols=GBPUSD&from=${fromIso}&to=${DAY + 1_300_000}&speed=1000`);
  const ticks = got.messages.filter((m) => m.type === 'ticks').flatMap((m) => m.ticks as ReplayTick[]);
  assert.deepEqual(
    ticks,
    await stored({ symbols: ['GBPUSD'], fromUs: DAY + 1_000_000, toUs: DAY + 1_300_000 }),
  );
});

test('a wrong token is refused with 401 before any replay starts', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${server.port}/replay?token=${'0'.repeat(64)}&symbols=EURUSD&from=${DAY}`,
    );
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('opened with a wrong token')));
    ws.on('error', () => {});
  });
  assert.equal(status, 401);
});

test('a bad selection gets an error message naming the problem, and the socket closes', async () => {
  const noSymbols = await collect(`token=${TOKEN}&from=${DAY}`);
  assert.equal(noSymbols.messages[0]!.type, 'error');
  assert.match(String(noSymbols.messages[0]!.message), /symbols is required/);
  assert.equal(noSymbols.closeCode, 1008);
  const badTime = await collect(`token=${TOKEN}&symbols=EURUSD&from=yesterday`);
  assert.match(String(badTime.messages[0]!.message), /from is not a time/);
  const badSpeed = await collect(`token=${TOKEN}&symbols=EURUSD&from=${DAY}&speed=7`);
  assert.match(String(badSpeed.messages[0]!.message), /speed must be one of/);
});
