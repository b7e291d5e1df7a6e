// The health webhook against a real local HTTP receiver: changes are posted once they settle,
// a warning whose only change is a number is no change, a failing receiver is retried with
// backoff and a hanging one never holds up the caller; and `serve --health-webhook` posts the
// real service's health as a feed goes down and as recording stops.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createHealthWebhook, watchHealth } from '../../../electron/app/healthWebhook.ts';
import type { HealthWebhookPayload } from '../../../electron/app/healthWebhook.ts';
import { connectWs, startServe } from '../../e2e/harness.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

interface Receiver {
  url: string;
  posts: { payload: HealthWebhookPayload; contentType: string | undefined }[];
  /** Requests seen, answered or not. */
  hits: number;
  close(): Promise<void>;
}

/** A receiver answering each request with `answer(n)` (n from 1): a status, or 'hang'. */
async function receiver(answer: (n: number) => number | 'hang' = () => 204): Promise<Receiver> {
  const r: Receiver = { url: '', posts: [], hits: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      r.hits++;
      const a = answer(r.hits);
      if (a === 'hang') return;
      if (a < 300)
        r.posts.push({
          payload: JSON.parse(body) as HealthWebhookPayload,
          contentType: req.headers['content-type'],
        });
      res.statusCode = a;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/SECRET`;
  r.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return r;
}

const receivers: Receiver[] = [];
after(async () => {
  for (const r of receivers) await r.close();
});
async function open(answer?: (n: number) => number | 'hang'): Promise<Receiver> {
  const r = await receiver(answer);
  receivers.push(r);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST = { debounceMs: 80, backoffMs: 60, maxBackoffMs: 400, timeoutMs: 300 };

test('changes post once settled; a number changing inside a warning is no change', async () => {
  const r = await open();
  const logs: string[] = [];
  const hook = createHealthWebhook({ url: r.url, log: (m) => logs.push(m), ...FAST });
  hook.observe({ status: 'ok', reasons: [] });
  await waitFor('the first state', () => r.posts.length === 1, 5000);
  assert.deepEqual(
    { status: r.posts[0].payload.status, warnings: r.posts[0].payload.warnings },
    { status: 'ok', warnings: [] },
  );
  assert.equal(r.posts[0].contentType, 'application/json');
  assert.ok(Math.abs(Date.parse(r.posts[0].payload.at) - Date.now()) < 60_000, r.posts[0].payload.at);

  hook.observe({ status: 'warn', reasons: ['queue 81% full (8100 of 10000)'] });
  for (let i = 82; i < 86; i++) {
    await sleep(30);
    hook.observe({ status: 'warn', reasons: [`queue ${i}% full (${i}00 of 10000)`] });
  }
  await waitFor('the warning', () => r.posts.length === 2, 5000);
  await sleep(300);
  assert.equal(r.posts.length, 2, 'the percentages changing is not a new state');
  // The post carries the wording the state had when it was sent.
  assert.match(r.posts[1].payload.warnings.join(), /^queue 8[1-5]% full \(8[1-5]00 of 10000\)$/);

  hook.observe({ status: 'critical', reasons: ['queue 96% full (9600 of 10000)'] });
  await waitFor('the critical state', () => r.posts.length === 3, 5000);
  assert.equal(r.posts[2].payload.status, 'critical');
  await sleep(300);
  assert.equal(r.posts.length, 3);
  assert.deepEqual(hook.counts(), { delivered: 3, failed: 0 });
  hook.close();
  assert.deepEqual(logs, []);
});

test('a flap back to the posted state within the debounce posts nothing', async () => {
  const r = await open();
  const hook = createHealthWebhook({ url: r.url, log: () => {}, ...FAST, debounceMs: 600 });
  hook.observe({ status: 'ok', reasons: [] });
  await waitFor('the first state', () => r.posts.length === 1, 5000);
  hook.observe({ status: 'critical', reasons: ['writer stalled: no progress for 31 s with 9 ticks queued'] });
  hook.observe({ status: 'ok', reasons: [] });
  await sleep(1000);
  assert.equal(r.posts.length, 1);
  hook.close();
});

test('a failing receiver is retried with backoff until it takes the post', async () => {
  const r = await open((n) => (n <= 2 ? 503 : 200));
  const logs: string[] = [];
  const hook = createHealthWebhook({ url: r.url, log: (m) => logs.push(m), ...FAST });
  hook.observe({ status: 'warn', reasons: ['low disk space: 4.20 GiB free'] });
  await waitFor('the third attempt', () => r.posts.length === 1, 10_000);
  assert.equal(r.hits, 3);
  assert.equal(r.posts[0].payload.status, 'warn');
  assert.deepEqual(hook.counts(), { delivered: 1, failed: 2 });
  assert.equal(logs.length, 2);
  assert.match(logs[0], /HTTP 503; retrying in 60 ms/);
  assert.match(logs[1], /HTTP 503; retrying in 120 ms/);
  for (const l of logs) assert.doesNotMatch(l, /SECRET/, 'the hook URL path stays out of the log');
  hook.close();
});

test('a receiver that never answers does not hold up the caller, times out and gives up', async () => {
  const r = await open(() => 'hang');
  const logs: string[] = [];
  const hook = createHealthWebhook({ url: r.url, log: (m) => logs.push(m), ...FAST, maxAttempts: 2 });
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++)
    hook.observe({ status: i % 2 ? 'warn' : 'critical', reasons: [`r${i % 2}`] });
  assert.ok(performance.now() - t0 < 500, 'observe() returns at once');
  await waitFor('two timed-out attempts', () => logs.some((l) => /giving up/.test(l)), 10_000);
  assert.equal(r.hits, 2);
  assert.match(logs[0], /no answer within 300 ms/);
  assert.deepEqual(hook.counts(), { delivered: 0, failed: 2 });
  hook.close();
});

test('serve --health-webhook posts the service health as a feed is down and after recording stops', async () => {
  const r = await open();
  // A feed that cannot connect: its health is a warning from the start.
  const serve = await startServe({
    dataDir: makeTempDir('webhook-serve'),
    extraArgs: [
      '--feed',
      'binance',
      '--feed-url',
      'ws://127.0.0.1:9/',
      '--symbols',
      'BTCUSDT',
      '--health-webhook',
      r.url,
    ],
  });
  try {
    await waitFor('the warning', () => r.posts.length >= 1, 20_000);
    assert.equal(r.posts[0].payload.status, 'warn');
    assert.ok(
      r.posts[0].payload.warnings.some((w) => /feed binance has not been live/.test(w)),
      r.posts[0].payload.warnings.join('; '),
    );
    const ws = await connectWs(serve);
    await ws.call('recording.stop', {});
    ws.close();
    await waitFor('the recovery', () => r.posts.some((p) => p.payload.status === 'ok'), 20_000);
    const last = r.posts.at(-1)?.payload;
    assert.deepEqual({ status: last?.status, warnings: last?.warnings }, { status: 'ok', warnings: [] });
  } finally {
    const code = await serve.stop();
    assert.equal(code, 0, serve.output().stderr);
  }
  assert.doesNotMatch(serve.output().stderr, /SECRET/);
});

test('watchHealth follows the health events of a service until closed', async () => {
  const r = await open();
  const subs: { send(e: string, p: unknown): void; closed: boolean }[] = [];
  const service = {
    health: () => ({ status: 'ok' as const, reasons: [] }),
    connect(s: { send(e: string, p: unknown): void }) {
      const entry = { send: s.send, closed: false };
      subs.push(entry);
      return {
        id: 1,
        dispatch: async () => ({ ok: true as const, value: null }),
        close: () => void (entry.closed = true),
      };
    },
  };
  const hook = watchHealth(service as never, { url: r.url, log: () => {}, ...FAST });
  await waitFor('the current health', () => r.posts.length === 1, 5000);
  subs[0].send('storage.health', {
    status: 'critical',
    reasons: ['1 accepted ticks were lost (1 queue_full)'],
  });
  subs[0].send('storage.stats', { status: 'ok', reasons: [] });
  await waitFor('the change', () => r.posts.length === 2, 5000);
  assert.equal(r.posts[1].payload.status, 'critical');
  hook.close();
  assert.equal(subs[0].closed, true);
});
