// The page's only way to main: the contract bridge (electron/shell/preloadBridge.ts). Bundled to
// CommonJS: sandboxed preloads cannot be ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from '../shell/preloadBridge.ts';

contextBridge.exposeInMainWorld('tickscope', createPreloadBridge(ipcRenderer));
