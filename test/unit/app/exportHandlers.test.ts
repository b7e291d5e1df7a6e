// export.* over the contract with a controllable export job: argument validation, destinations,
// one export at a time, cancel, temp-folder cleanup, and the /exports download route refusing
// anything but the exact file the last download export wrote.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ExportProgress, ExportRequest } from '../../../shared/export.ts';
import type { ExportStatus } from '../../../shared/ipc/exportChannels.ts';
import { validateRequest } from '../../../shared/ipc/validate.ts';
import { createExportHandlers } from '../../../electron/app/exportHandlers.ts';
import { createExportManager } from '../../../electron/app/exportManager.ts';
import type { ExportHandle } from '../../../electron/engine/export/exportJob.ts';
import { HandlerError } from '../../../electron/app/handlerTypes.ts';
import { serveExportDownload } from '../../../electron/server/exportDownloads.ts';

const tempRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'tickscope-export-handlers-'));
after(() => fs.rm(tempRoot, { recursive: true, force: true }));

/** A job that writes its file only when the test says finish(), as the worker would. */
function fakeJobs() {
  const jobs: { request: ExportRequest; finish(): Promise<void>; cancelled: boolean }[] = [];
  let n = 0;
  const start = (request: ExportRequest, onProgress: (p: ExportProgress) => void): ExportHandle => {
    const id = `job-${++n}`;
    let p: ExportProgress = {
      id,
      state: 'running',
      format: request.format,
      outPath: request.outPath,
      ticksDone: 0,
      ticksTotal: 10,
      rowsWritten: 0,
      bytesWritten: 0,
      startedAtMs: 0,
      etaMs: null,
      files: [],
    };
    let settle!: (p: ExportProgress) => void;
    const done = new Promise<ExportProgress>((r) => (settle = r));
    const job = {
      request,
      cancelled: false,
      async finish() {
        await fs.writeFile(request.outPath, 'time,bid\n1,1.5\n');
        p = { ...p, state: 'done', ticksDone: 10, rowsWritten: 10, files: [request.outPath] };
        onProgress(p);
        settle(p);
      },
    };
    jobs.push(job);
    return {
      id,
      progress: () => p,
      cancel() {
        job.cancelled = true;
        p = { ...p, state: 'cancelled' };
        settle(p);
      },
      done,
    };
  };
  return { jobs, start };
}

const base = { format: 'csv' as const, symbols: ['EURUSD'], fromUs: 1_000_000, toUs: 2_000_000 };

function issues(input: unknown): string {
  const v = validateRequest('export.start', input);
  assert.equal(v.ok, false, 'expected the input to be refused');
  return v.ok ? '' : `${v.error.code} ${v.error.message} ${(v.error.issues ?? []).join(' ')}`;
}

test('export.start refuses an empty or reversed range, an unknown format, a relative path and unknown keys', () => {
  assert.match(issues({ ...base, toUs: 1_000_000, destination: 'download' }), /invalid_argument.*toUs/);
  assert.match(issues({ ...base, fromUs: 5_000_000, destination: 'download' }), /toUs/);
  assert.match(issues({ ...base, format: 'xlsx', destination: 'download' }), /format/);
  assert.match(issues({ ...base, destination: '../../etc/passwd' }), /destination/);
  assert.match(issues({ ...base, destination: 'download', outPath: '/tmp/x' }), /outPath|unrecognized/i);
  assert.match(issues({ ...base, destination: 'download', csv: { time: 'ns' } }), /csv/);
  const ok = validateRequest('export.start', {
    ...base,
    destination: '/tmp/out.csv',
    csv: { preset: 'mt5' },
  });
  assert.ok(ok.ok);
});

test('a download export runs in a temp folder, is busy while running, and is served only by its exact name', async () => {
  const { jobs, start } = fakeJobs();
  const events: ExportStatus[] = [];
  const manager = createExportManager({ start, onProgress: (s) => events.push(s), log: () => {}, tempRoot });
  const handlers = createExportHandlers(manager, null);
  const started = await handlers['export.start']({ ...base, destination: 'download' }, null);
  assert.ok(started);
  assert.equal(started.state, 'running');
  assert.equal(started.downloadPath, null);
  assert.ok(jobs[0]!.request.outPath.startsWith(tempRoot), 'written under the temp root');
  assert.equal('destination' in jobs[0]!.request, false);

  await assert.rejects(
    handlers['export.start']({ ...base, destination: 'download' }, null),
    (e: unknown) => e instanceof HandlerError && e.code === 'busy',
  );
  await assert.rejects(
    handlers['export.start']({ ...base, destination: 'dialog' }, null),
    (e: unknown) => e instanceof HandlerError && e.code === 'unsupported',
  );

  await jobs[0]!.finish();
  const status = await handlers['export.status']({}, null);
  assert.equal(status?.state, 'done');
  assert.ok(status?.downloadPath?.startsWith(`/exports/${status.id}/`));
  assert.equal(events.at(-1)?.downloadPath, status?.downloadPath);

  const server = http.createServer((req, res) => {
    void serveExportDownload(manager, req, res, new URL(req.url ?? '/', 'http://x').pathname);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const good = await fetch(`http://127.0.0.1:${port}${status!.downloadPath}`);
    assert.equal(good.status, 200);
    assert.match(
      good.headers.get('content-disposition') ?? '',
      /^attachment; filename="ticks_EURUSD_.*\.csv"$/,
    );
    assert.equal(await good.text(), 'time,bid\n1,1.5\n');
    const file = status!.downloadPath!.split('/').at(-1)!;
    for (const bad of [
      `/exports/${status!.id}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/exports/${status!.id}/%2e%2e%2f${file}`,
      `/exports/${status!.id}/sub/${file}`,
      `/exports/job-999/${file}`,
      `/exports/${status!.id}/%E0%A4%A`,
    ]) {
      const r = await fetch(`http://127.0.0.1:${port}${bad}`);
      assert.equal(r.status, 404, bad);
      await r.text();
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }

  // The next export replaces the download: the old temp folder is removed.
  const oldDir = path.dirname(jobs[0]!.request.outPath);
  await handlers['export.start']({ ...base, destination: 'download' }, null);
  assert.equal(existsSync(oldDir), false);
  const cancelled = await handlers['export.cancel']({ id: 'job-2' }, null);
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(jobs[1]!.cancelled, true);
  await assert.rejects(
    handlers['export.cancel']({ id: 'job-1' }, null),
    (e: unknown) => e instanceof HandlerError && e.code === 'not_found',
  );
  const lastDir = path.dirname(jobs[1]!.request.outPath);
  await manager.close();
  assert.equal(existsSync(lastDir), false, 'close removes the temp folders');
});

test('the save dialog picks the path, a dismissed dialog starts nothing, legacy-json cannot be a download', async () => {
  const { jobs, start } = fakeJobs();
  const manager = createExportManager({ start, onProgress: () => {}, log: () => {}, tempRoot });
  const asked: { title: string; name: string; ext: string[] }[] = [];
  let answer: string | null = null;
  const handlers = createExportHandlers(manager, async (title, name, filters) => {
    asked.push({ title, name, ext: filters.flatMap((f) => f.extensions) });
    return answer;
  });
  assert.equal(
    await handlers['export.start']({ ...base, format: 'jsonl', destination: 'dialog' }, null),
    null,
  );
  assert.equal(jobs.length, 0);
  assert.match(asked[0]!.name, /\.jsonl$/);
  assert.deepEqual(asked[0]!.ext, ['jsonl']);
  answer = path.join(tempRoot, 'chosen.jsonl');
  const s = await handlers['export.start']({ ...base, format: 'jsonl', destination: 'dialog' }, null);
  assert.equal(s?.outPath, answer);
  assert.equal(jobs[0]!.request.outPath, answer);
  await jobs[0]!.finish();
  assert.equal(
    (await handlers['export.status']({}, null))?.downloadPath,
    null,
    'a saved file is not a download',
  );
  await assert.rejects(
    handlers['export.start']({ ...base, format: 'legacy-json', destination: 'download' }, null),
    (e: unknown) => e instanceof HandlerError && e.code === 'unsupported',
  );
  await manager.close();
});
