// The window loads the UI from app://tickscope/, a privileged custom scheme, instead of file://:
// file:// pages get extra privileges and an opaque origin, and any file on disk is one URL away.
// This module answers that scheme's requests: regular files under dist/renderer only, each with
// its MIME type and the renderer's CSP as a header; anything else is a 404. No Electron here
// (main.ts hands the handler to protocol.handle), so it is tested under plain Node.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { contentTypeOf, resolveUnderRoot } from '../app/rendererFiles.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'tickscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The only page the window shows, and the only frame URL the IPC bridge answers. */
export const INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: relative URLs, a real origin and web storage, like http. secure: a secure context, so
 * the page is not treated as mixed content. supportFetchAPI: module scripts (Vite's crossorigin
 * <script type="module">) are fetched in CORS mode. Deliberately not set: bypassCSP, corsEnabled
 * (other origins could read our files), allowServiceWorkers, stream.
 */
export const APP_CUSTOM_SCHEME: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** What the handler needs of a request (Electron passes a GlobalRequest, which has both). */
export interface AppRequest {
  url: string;
  method: string;
}

/** The file system calls the handler makes; Electron's fs reads inside app.asar transparently. */
export interface AppProtocolFs {
  stat(file: string): Promise<{ isFile(): boolean }>;
  readFile(file: string): Promise<Uint8Array>;
}

export interface AppProtocolOptions {
  /** dist/renderer: nothing outside it is ever served. */
  root: string;
  /** Sent as the Content-Security-Policy header of every response. */
  csp: string;
  fs?: AppProtocolFs;
}

export type AppProtocolHandler = (request: AppRequest) => Promise<Response>;

export function createAppProtocolHandler(o: AppProtocolOptions): AppProtocolHandler {
  const fs: AppProtocolFs = o.fs ?? { stat, readFile };
  const root = path.resolve(o.root);
  const baseHeaders = {
    'Content-Security-Policy': o.csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
    new Response(`${text}\n`, {
      status,
      headers: {
        ...baseHeaders,
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        ...extra,
      },
    });

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(404, 'not found');
    }
    // Only our own origin: app://anything-else/ is not the UI.
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    // The URL parser has already folded plain and %2e dot segments; resolveUnderRoot decodes the
    // rest (%2f, %5c, %00) and refuses whatever would leave the root.
    const file = resolveUnderRoot(root, url.pathname);
    if (!file) return plain(404, 'not found');
    let body: Uint8Array;
    try {
      if (!(await fs.stat(file)).isFile()) return plain(404, 'not found');
      body = await fs.readFile(file);
    } catch {
      return plain(404, 'not found');
    }
    const type = contentTypeOf(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        ...baseHeaders,
        'Content-Type': type,
        'Content-Length': String(body.byteLength),
        // index.html names the hashed assets, so it must be revalidated after an update.
        'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
      },
    });
  };
}
