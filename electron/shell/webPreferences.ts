// The window's web preferences: the page is a sandboxed, context-isolated web page with no Node,
// and the preload is the only code that can reach main (through the contract's channels).
import type { WebPreferences } from 'electron';

/** devTools: only for an unpacked developer run; a packaged app's page has no console to open. */
export function secureWebPreferences(preload: string, devTools = false): WebPreferences {
  return {
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // No experimental web platform features and no remote fonts or spelling service calls.
    experimentalFeatures: false,
    spellcheck: false,
    preload,
  };
}
