// Builds the renderer when dist/renderer is missing or older than its sources, so that
// `npm run serve` works straight after `npm ci` and never serves a stale UI.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const builtIndex = path.join(root, 'dist/renderer/index.html');
const sources = [
  path.join(root, 'renderer'),
  path.join(root, 'shared'),
  path.join(root, 'build/vite.config.ts'),
];

async function newestMtime(p: string): Promise<number> {
  let info;
  try {
    info = await stat(p);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

export async function rendererIsStale(): Promise<string | null> {
  let built: number;
  try {
    built = (await stat(builtIndex)).mtimeMs;
  } catch {
    return 'dist/renderer/index.html is missing';
  }
  for (const s of sources) {
    if ((await newestMtime(s)) > built) return `${path.relative(root, s)} changed since the last build`;
  }
  return null;
}

/** Builds dist/renderer if it is stale; returns why it built, or null when it was current. */
export async function ensureRenderer(): Promise<string | null> {
  const why = await rendererIsStale();
  if (!why) return null;
  console.error(`ensureRenderer: building the renderer (${why})`);
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'build/vite.config.ts'), logLevel: 'warn' });
  return why;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureRenderer().catch((err: unknown) => {
    console.error(`ensureRenderer: ${(err as Error).message}`);
    process.exit(1);
  });
}
