// Serves the built renderer: only regular files under the root, never a directory listing,
// never a path that escapes the root.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { contentTypeOf, resolveUnderRoot } from '../app/rendererFiles.ts';

export type StaticOutcome = 'served' | 'not_found';

export async function serveStatic(
  root: string,
  urlPath: string,
  method: string,
  res: ServerResponse,
): Promise<StaticOutcome> {
  const file = resolveUnderRoot(root, urlPath);
  if (!file) return 'not_found';
  let info;
  try {
    info = await stat(file);
  } catch {
    return 'not_found';
  }
  if (!info.isFile()) return 'not_found';
  const type = contentTypeOf(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', info.size);
  // index.html names the hashed assets, so it must be revalidated after a rebuild.
  res.setHeader('Cache-Control', type.startsWith('text/html') ? 'no-store' : 'no-cache');
  if (method === 'HEAD') {
    res.end();
    return 'served';
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return 'served';
}
