// Locks the page down: no navigation away from app://tickscope/index.html, no new windows, no
// webviews, no permissions, and the renderer's CSP as a response header on every response.
import { app, session } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
import { navigationAllowed } from './appOrigin.ts';

export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload,
  };
}

export function hardenSessionsAndContents(csp: string, log: (m: string) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`permission request denied: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  // The app:// handler sets the CSP itself; this covers any other response the session sees.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (navigationAllowed(url)) return;
      event.preventDefault();
      log(`navigation blocked: ${url}`);
    });
    // Subframes have no business navigating anywhere (the page has none; CSP allows only 'self').
    contents.on('will-frame-navigate', (event) => {
      if (event.isMainFrame) return;
      event.preventDefault();
      log(`subframe navigation blocked: ${event.url}`);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      log(`window.open blocked: ${url}`);
      return { action: 'deny' };
    });
  });
}
