// `npm run serve`: the recorder and the UI without Electron, for a server or a browser.
// Prints `Tickscope is serving at <url>` once it is listening. SIGINT/SIGTERM close the server,
// drain the engine and print `Tickscope stopped: ...`; exit codes as in electron/cli/exitCodes.ts.
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { configFromEnv } from '../engine/config.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import { ConfigError } from '../engine/errors.ts';
import { createTickscopeService } from '../app/tickscopeService.ts';
import { FeedConfigError, feedConfigFile } from '../app/feedConfigFile.ts';
import { SecretStoreError, openSecretFile } from '../app/secretFile.ts';
import { watchHealth } from '../app/healthWebhook.ts';
import { DEMO_FEED_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import type { TickscopeService } from '../app/tickscopeService.ts';
import { readRendererCsp } from '../app/rendererCsp.ts';
import { EXIT } from './exitCodes.ts';
import { formatUsageError } from './helpText.ts';
import { stopOnSignals } from './stopOnSignals.ts';
import { stillWaitingFor, stopOutcome, stopSummary } from './stopReport.ts';
import { newToken } from '../server/accessControl.ts';
import { startHttpServer } from '../server/httpServer.ts';
import type { ServeOptions } from './serveArgs.ts';
import { SERVE_COMMAND, USAGE, UsageError, parseServeArgs } from './serveArgs.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** A failure with its message already in words: printed as is, exit 3. */
class RunError extends Error {}

function listenProblem(err: unknown, opts: ServeOptions): string | null {
  const code = (err as { code?: string })?.code;
  if (code === 'EADDRINUSE') {
    return `port ${opts.port} on ${opts.host} is already in use (is another serve still running?): stop it or pass --port`;
  }
  if (code === 'EADDRNOTAVAIL') return `${opts.host} is not an address of this machine: pass another --host`;
  if (code === 'EACCES') return `no permission to listen on port ${opts.port}: pass a port above 1023`;
  return null;
}

async function serve(opts: ServeOptions): Promise<number> {
  const indexHtml = path.join(RENDERER_DIR, 'index.html');
  if (
    !(await access(indexHtml).then(
      () => true,
      () => false,
    ))
  ) {
    throw new RunError(
      `${indexHtml} is missing; run \`npm run build:renderer\` (npm run serve does it for you)`,
    );
  }
  const { csp, fromMeta } = await readRendererCsp(indexHtml);
  if (!fromMeta) console.error('serve: warning: index.html has no CSP meta tag; sending a strict default');

  const log = (m: string) => console.error(`serve: ${m}`);
  // The environment (TICK_STORAGE_BACKEND, BROKER_ID) configures the engine as for the recorder.
  let storage: StorageConfigInput;
  try {
    storage = configFromEnv(process.env, { dataDir: opts.dataDir });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  let service: TickscopeService;
  try {
    service = await createTickscopeService({
      dataDir: opts.dataDir,
      storage,
      feed: opts.idle ? 'none' : undefined,
      // A first start without --feed records the demo feed; feeds given with --feed are saved.
      feedConfigs: feedConfigFile(opts.feedConfigFile, () =>
        opts.feeds.length > 0 ? [] : [DEMO_FEED_SCHEMA.parse({ id: 'demo', kind: 'demo' })],
      ),
      feeds: opts.feeds,
      secrets: () => openSecretFile(opts.secretsFile, undefined, process.env),
      log,
    });
  } catch (err) {
    if (err instanceof FeedConfigError || err instanceof SecretStoreError) throw new RunError(err.message);
    throw new RunError(`cannot open the tick store in ${opts.dataDir}: ${(err as Error).message}`);
  }
  let server;
  try {
    server = await startHttpServer({
      service,
      rendererDir: RENDERER_DIR,
      csp,
      host: opts.host,
      port: opts.port,
      token: opts.token ?? newToken(),
      log,
    });
  } catch (err) {
    await service.close();
    throw new RunError(listenProblem(err, opts) ?? `cannot listen: ${(err as Error).message}`);
  }
  const httpServer = server;
  const webhook = opts.healthWebhook ? watchHealth(service, { url: opts.healthWebhook, log }) : null;
  console.log(`Tickscope data folder: ${service.store().config.dataDir}`);
  console.log(`Tickscope is serving at ${httpServer.url}`);

  return new Promise<number>((resolve) => {
    let waitingFor = (): string => 'the open connections to close';
    stopOnSignals({
      name: 'serve',
      exit: resolve,
      waitingFor: () => waitingFor(),
      async stop(signal) {
        console.error(`serve: ${signal}: stopping the feed and flushing to disk`);
        await httpServer.close();
        webhook?.close();
        waitingFor = () => stillWaitingFor(service.store().getStorageStats());
        const result = await service.close();
        const stats = service.store().getStorageStats();
        const outcome = stopOutcome(result, stats);
        console.log(`Tickscope stopped: ${stopSummary(stats, outcome)}`);
        for (const p of outcome.problems) console.error(`serve: ${p}`);
        return outcome.exitCode;
      },
    });
  });
}

async function main(argv: string[]): Promise<number> {
  let opts: ServeOptions;
  try {
    opts = parseServeArgs(argv, process.env);
    if (opts.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    return await serve(opts);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(formatUsageError(SERVE_COMMAND, err.message));
      return EXIT.usage;
    }
    if (err instanceof RunError) {
      console.error(`serve: ${err.message}`);
      return EXIT.failure;
    }
    console.error(`serve: ${(err as Error)?.stack ?? String(err)}`);
    return EXIT.failure;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
