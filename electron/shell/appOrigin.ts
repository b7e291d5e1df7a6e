// What counts as our own page: the IPC bridge answers it and navigation may lead only to it.
// Plain functions over the few fields they read, so they are tested without Electron.
import { INDEX_URL } from './appProtocol.ts';

/**
 * True only for app://tickscope/index.html, optionally with a #fragment (the UI keeps its tab in
 * the hash). No query, no other path, no other scheme or host.
 */
export function isIndexUrl(url: string): boolean {
  // Exact string comparison: Chromium reports frame URLs serialized, so there is no second
  // spelling of our page to allow, and anything unusual (case, userinfo, port, query) is refused.
  const hash = url.indexOf('#');
  return (hash === -1 ? url : url.slice(0, hash)) === INDEX_URL;
}

/**
 * The window may navigate only to its own index page (reloading it, in effect). Links to the web,
 * other app:// paths, file:// and javascript: are all refused.
 */
export function navigationAllowed(url: string): boolean {
  return isIndexUrl(url);
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface SenderInfo {
  sender: unknown;
  senderFrame: { parent: unknown; url: string } | null;
}

/** The parts of our BrowserWindow the check reads. */
export interface WindowInfo {
  isDestroyed(): boolean;
  webContents: unknown;
}

/** A request is ours when it comes from our window's own webContents, its top frame, on index.html. */
export function isTrustedSender(e: SenderInfo, win: WindowInfo | null): boolean {
  if (!win || win.isDestroyed() || e.sender !== win.webContents) return false;
  const frame = e.senderFrame;
  // A null senderFrame means the frame navigated away or was destroyed since it sent.
  if (!frame || frame.parent !== null) return false;
  return isIndexUrl(frame.url);
}
