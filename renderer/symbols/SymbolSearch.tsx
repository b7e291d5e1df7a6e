// Type to find a symbol: matches listed as you type (exact, prefix, then contains), ArrowUp/
// ArrowDown move through them, Enter or a click picks one, Escape clears. Used by Live (where the
// text also filters the watchlist, through onQuery) and History.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useShortcut } from '../app/keyboard.ts';
import { matchSymbols } from './symbolMatch.ts';
import './symbolSearch.css';

const MAX_LISTED = 50;

export function SymbolSearch({
  symbols,
  value,
  onPick,
  testId,
  placeholder,
  onQuery,
  focusShortcut = false,
}: {
  symbols: string[];
  value: string | null;
  onPick: (symbol: string) => void;
  testId: string;
  placeholder?: string;
  /** The text as typed (cleared on a pick), for callers that filter a list of their own. */
  onQuery?: (query: string) => void;
  /** `/` focuses this search (one per page: the tab that shows it). */
  focusShortcut?: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQueryState] = useState('');
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(0);
  const matches = matchSymbols(symbols, query, MAX_LISTED);
  const at = Math.min(highlight, Math.max(0, matches.length - 1));

  useShortcut(
    { keys: ['/'], description: 'Search symbols', group: 'Symbols', enabled: focusShortcut },
    (e) => {
      e.preventDefault(); // or the '/' would be typed into the search
      inputRef.current?.focus();
    },
  );

  useEffect(() => {
    // Keep the highlighted match in sight as arrows move through a long list.
    if (open) document.getElementById(`${listId}-${at}`)?.scrollIntoView({ block: 'nearest' });
  }, [open, at, listId]);

  const setQuery = (q: string) => {
    setQueryState(q);
    setHighlight(0);
    onQuery?.(q);
  };
  const pick = (symbol: string) => {
    setQuery('');
    setOpen(false);
    inputRef.current?.blur();
    onPick(symbol);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    let handled = true;
    if (e.key === 'ArrowDown') {
      setOpen(true);
      setHighlight(open ? Math.min(matches.length - 1, at + 1) : 0);
    } else if (e.key === 'ArrowUp') setHighlight(Math.max(0, at - 1));
    else if (e.key === 'Enter') {
      if (matches.length > 0 && (open || query !== '')) pick(matches[at]);
    } else if (e.key === 'Escape') {
      if (query !== '' || open) {
        setQuery('');
        setOpen(false);
      } else inputRef.current?.blur();
    } else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  // The list opens on typing or ArrowDown, not on focus, so `/` does not cover the page.
  const showList = open;
  return (
    <div className="symbol-search" data-value={value ?? ''}>
      <input
        ref={inputRef}
        type="text"
        className="mono"
        value={query}
        placeholder={placeholder ?? (value ? `${value} · type to search` : 'Search symbols')}
        spellCheck={false}
        autoComplete="off"
        role="combobox"
        aria-label="Search symbols"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && matches.length > 0 ? `${listId}-${at}` : undefined}
        data-testid={testId}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul className="symbol-search-list" role="listbox" id={listId} data-testid={`${testId}-list`}>
          {matches.length === 0 ? (
            <li className="muted small empty">No symbol matches “{query}”</li>
          ) : (
            matches.map((s, i) => (
              <li
                key={s}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === at}
                className={`mono ${i === at ? 'active' : ''} ${s === value ? 'current' : ''}`}
                data-testid={`${testId}-option-${s}`}
                // mousedown would blur the input (closing the list) before the click lands.
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setHighlight(i)}
                onClick={() => pick(s)}
              >
                {s}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
