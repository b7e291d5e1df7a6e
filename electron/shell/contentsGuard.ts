// Every webContents the app creates (the window, and anything a bug or an exploit might open) is
// locked to our own page: no navigation elsewhere, no redirects, no new windows, no webviews.
// Each refusal is logged, since it means either a bug in the UI or a page trying to get out.
import type { HandlerDetails, WebPreferences, WindowOpenHandlerResponse } from 'electron';
import { navigationAllowed } from './appOrigin.ts';

/** The part of Electron's Event a guard calls. */
export interface Preventable {
  preventDefault(): void;
}

/** The events and the window-open hook of a webContents that the guard answers. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: Preventable & { url: string }) => void): unknown;
  on(
    event: 'will-frame-navigate',
    listener: (event: Preventable & { url: string; isMainFrame: boolean }) => void,
  ): unknown;
  on(event: 'will-redirect', listener: (event: Preventable & { url: string }) => void): unknown;
  on(
    event: 'will-attach-webview',
    listener: (event: Preventable, webPreferences: WebPreferences, params: Record<string, string>) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void;
}

export function guardWebContents(contents: GuardedContents, log: (message: string) => void): void {
  contents.on('will-navigate', (event) => {
    if (navigationAllowed(event.url)) return;
    event.preventDefault();
    log(`navigation blocked: ${event.url}`);
  });
  // Covers what will-navigate does not see: navigations the main process or a subframe starts.
  // The page has no frames (its CSP allows none from elsewhere), so no subframe goes anywhere.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame && navigationAllowed(event.url)) return;
    event.preventDefault();
    log(`${event.isMainFrame ? 'navigation' : 'subframe navigation'} blocked: ${event.url}`);
  });
  // app:// never redirects, so a redirect is a request to somewhere else.
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log(`redirect blocked: ${event.url}`);
  });
  contents.on('will-attach-webview', (event, _prefs, params) => {
    event.preventDefault();
    log(`webview blocked: ${params.src ?? '(no src)'}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`window.open blocked: ${url}`);
    return { action: 'deny' };
  });
}
