// The access token the page was opened with (`?token=` of the URL serve printed). It is moved to
// sessionStorage and taken out of the address bar at once, so it stays out of the history,
// bookmarks, screenshots of the URL and anything the page logs; a reload of this tab finds it in
// sessionStorage (and the server's HttpOnly cookie), a new tab needs the printed URL again.
import { tokenFromSearch } from './wsUrl.ts';

export const TOKEN_STORAGE_KEY = 'tickscope.token';

interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface TokenPage {
  location: { pathname: string; search: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  /** Reading it throws where storage is disabled. */
  readonly sessionStorage: TokenStore;
}

/** `search` without its token parameter: '' when nothing else is left. */
export function searchWithoutToken(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('token');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

/** The page's token (from the URL, else from this tab's earlier load), removing it from the URL. */
export function takePageToken(page: TokenPage): string | null {
  const fromUrl = tokenFromSearch(page.location.search);
  let store: TokenStore | null = null;
  try {
    store = page.sessionStorage;
  } catch {
    // Storage disabled: the token then lives only in this page's memory.
  }
  if (fromUrl === null) {
    try {
      return store?.getItem(TOKEN_STORAGE_KEY) || null;
    } catch {
      return null;
    }
  }
  try {
    store?.setItem(TOKEN_STORAGE_KEY, fromUrl);
  } catch {
    // As above: memory only; a reload then relies on the server's cookie.
  }
  const { pathname, search, hash } = page.location;
  page.history.replaceState(page.history.state, '', `${pathname}${searchWithoutToken(search)}${hash}`);
  return fromUrl;
}
