// `npm run serve`: the recorder and the UI without Electron, for a server or a browser.
// Prints `Tickscope is serving at <url>` once it is listening; SIGINT/SIGTERM drain and exit 0.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { configFromEnv } from '../engine/config.ts';
import { createTickscopeService } from '../app/tickscopeService.ts';
import { newToken } from './accessControl.ts';
import { startHttpServer } from './httpServer.ts';
import { readRendererCsp } from '../app/rendererCsp.ts';
import { USAGE, UsageError, parseServeArgs } from './serveArgs.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseServeArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`serve: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const indexHtml = path.join(RENDERER_DIR, 'index.html');
  if (!existsSync(indexHtml)) {
    console.error(
      `serve: ${indexHtml} is missing; run \`npm run build:renderer\` (npm run serve does it for you)`,
    );
    process.exit(1);
  }
  const { csp, fromMeta } = await readRendererCsp(indexHtml);
  if (!fromMeta) console.error('serve: warning: index.html has no CSP meta tag; sending a strict default');

  const log = (m: string) => console.error(`serve: ${m}`);
  // The environment (TICK_STORAGE_BACKEND, BROKER_ID) configures the engine as for the recorder.
  const storage = configFromEnv(process.env, { dataDir: opts.dataDir });
  const service = await createTickscopeService({
    dataDir: opts.dataDir,
    storage,
    feed: opts.feed,
    feedOptions: { ratePerSec: opts.ratePerSec, symbols: opts.symbols },
    log,
  });
  const server = await startHttpServer({
    service,
    rendererDir: RENDERER_DIR,
    csp,
    host: opts.host,
    port: opts.port,
    token: opts.token ?? newToken(),
    log,
  });
  console.log(`Tickscope data folder: ${service.store().config.dataDir}`);
  console.log(`Tickscope is serving at ${server.url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`serve: ${signal}: stopping the feed and flushing to disk`);
    try {
      await server.close();
      await service.close();
      console.error('serve: stopped cleanly');
      process.exit(0);
    } catch (err) {
      console.error(`serve: shutdown failed: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`serve: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
