// The session's defaults are a browser's: permission prompts, downloads, other sites' headers.
// A tick recorder's page needs none of that, so every permission is refused, every download
// cancelled, and every response carries the renderer's CSP whatever its origin sent.
import type { DownloadItem, OnHeadersReceivedListenerDetails, HeadersReceivedResponse } from 'electron';
import type { Preventable } from './contentsGuard.ts';

/** The hooks of an Electron Session that the guard sets. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: Pick<OnHeadersReceivedListenerDetails, 'url' | 'responseHeaders'>,
        callback: (response: HeadersReceivedResponse) => void,
      ) => void,
    ): void;
  };
  on(
    event: 'will-download',
    listener: (event: Preventable, item: Pick<DownloadItem, 'getURL'>) => void,
  ): unknown;
}

export function guardSession(ses: GuardedSession, csp: string, log: (message: string) => void): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`permission request denied: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event, item) => {
    event.preventDefault();
    log(`download blocked: ${item.getURL()}`);
  });
  // The app:// handler sets the CSP itself; this covers any other response the session sees.
  // Header names are case-insensitive, so an upstream policy under any spelling is replaced.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      const lower = name.toLowerCase();
      if (lower === 'content-security-policy' || lower === 'x-content-type-options') continue;
      headers[name] = value;
    }
    callback({
      responseHeaders: {
        ...headers,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}
