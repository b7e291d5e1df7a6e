// GET /exports/<id>/<file>: the browser's download of a finished export. Behind the same token
// check as every page; the manager answers only the exact id and file name it wrote, so no
// segment of the URL ever becomes part of a path on disk.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportManager } from '../app/exportManager.ts';
import { EXPORTS_PATH } from '../app/exportManager.ts';

export { EXPORTS_PATH };

export function isExportDownloadPath(pathname: string): boolean {
  return pathname.startsWith(`${EXPORTS_PATH}/`);
}

/** Answers the request; the caller has checked the token and the method (GET or HEAD). */
export async function serveExportDownload(
  exports: ExportManager,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const parts = pathname.slice(EXPORTS_PATH.length + 1).split('/');
  let file: string | null = null;
  if (parts.length === 2) {
    try {
      file = exports.downloadFile(decodeURIComponent(parts[0]!), decodeURIComponent(parts[1]!));
    } catch {
      file = null; // malformed percent-encoding
    }
  }
  const stat = file ? await fs.promises.stat(file).catch(() => null) : null;
  if (!file || !stat?.isFile()) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end('no such export: it may have been replaced by a newer one\n');
    return;
  }
  const name = parts[1] ? decodeURIComponent(parts[1]) : 'export';
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(stat.size));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = fs.createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
