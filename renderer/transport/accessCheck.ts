// Why the WebSocket cannot connect: a browser reports a refused upgrade, a server that is down
// and a dropped network all as close code 1006, so the page asks the server over plain HTTP
// whether its credential is still good. A 401 means serve restarted with a new token (it makes
// a new one on every start); no answer means the server is down.
import { ACCESS_CHECK_PATH } from './wsUrl.ts';

export type AccessCheck = 'accepted' | 'refused' | 'unknown';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; cache: 'no-store'; credentials: 'same-origin' },
) => Promise<{ status: number }>;

/** Asks ACCESS_CHECK_PATH with the page's cookie and, when it has one, its token. */
export function createAccessCheck(fetchFn: FetchLike, token: string | null): () => Promise<AccessCheck> {
  return async () => {
    let status: number;
    try {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      ({ status } = await fetchFn(ACCESS_CHECK_PATH, {
        method: 'GET',
        headers,
        cache: 'no-store',
        credentials: 'same-origin',
      }));
    } catch {
      return 'unknown';
    }
    if (status === 401) return 'refused';
    return status >= 200 && status < 300 ? 'accepted' : 'unknown';
  };
}
