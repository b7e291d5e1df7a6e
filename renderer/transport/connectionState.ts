// What the page knows about its link to the engine, shown as a banner when it is not healthy.
export type ConnectionState =
  | { kind: 'ipc' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'disconnected'; attempt: number; retryAtMs: number; reason: string }
  /** The server refuses the page's token: it restarted with a new one. Final; no retries. */
  | { kind: 'unauthorized' };

export function isUsable(state: ConnectionState): boolean {
  return state.kind === 'ipc' || state.kind === 'open';
}
