// Global keyboard shortcuts. A component registers what it handles with useShortcut for as long
// as it is mounted; one keydown listener on the window dispatches to the most recently
// registered enabled shortcut for the key, so an overlay's Escape wins over the page's. Keys are
// KeyboardEvent.key values. Typing in a field is never taken for a shortcut (Escape excepted),
// nor is a key with Ctrl, Alt or Meta held: those belong to the browser and the system.
import { useEffect, useRef, useSyncExternalStore } from 'react';

export interface ShortcutSpec {
  keys: string[];
  description: string;
  group: string;
  enabled?: boolean;
}

/** The parts of a KeyboardEvent dispatch reads (a plain object stands in under test). */
export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  defaultPrevented: boolean;
  target: unknown;
  preventDefault(): void;
}

interface Entry {
  spec: ShortcutSpec;
  handler: (e: KeyEventLike) => void;
}

export interface ShortcutGroup {
  group: string;
  shortcuts: { keys: string[]; description: string }[];
}

const FIELD_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

/** True when the key press belongs to a form field being typed in. */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown };
  return (
    (typeof el.tagName === 'string' && FIELD_TAGS.has(el.tagName.toUpperCase())) ||
    el.isContentEditable === true
  );
}

export class ShortcutRegistry {
  private entries: Entry[] = [];
  private readonly listeners = new Set<() => void>();
  private listing: ShortcutGroup[] = [];

  register(spec: ShortcutSpec, handler: (e: KeyEventLike) => void): () => void {
    const entry: Entry = { spec, handler };
    this.entries = [...this.entries, entry];
    this.changed();
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
      this.changed();
    };
  }

  /** Runs the shortcut for this key press, if any; true when one ran (the event is then consumed). */
  dispatch(e: KeyEventLike): boolean {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return false;
    if (e.key !== 'Escape' && isTypingTarget(e.target)) return false;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const { spec, handler } = this.entries[i];
      if (spec.enabled === false || !spec.keys.includes(e.key)) continue;
      e.preventDefault();
      handler(e);
      return true;
    }
    return false;
  }

  /** Every registered shortcut once, grouped in first-registered order (disabled ones too). */
  list = (): ShortcutGroup[] => this.listing;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private changed(): void {
    const groups = new Map<string, Map<string, { keys: string[]; description: string }>>();
    for (const { spec } of this.entries) {
      let group = groups.get(spec.group);
      if (!group) groups.set(spec.group, (group = new Map()));
      // Two mounted copies of one component register the same shortcut; it is listed once.
      group.set(`${spec.keys.join(' ')}|${spec.description}`, {
        keys: spec.keys,
        description: spec.description,
      });
    }
    this.listing = [...groups].map(([group, m]) => ({ group, shortcuts: [...m.values()] }));
    for (const l of [...this.listeners]) l();
  }
}

let pageRegistry: ShortcutRegistry | null = null;

/** The page's registry, listening on the window from first use. */
export function shortcutRegistry(): ShortcutRegistry {
  if (pageRegistry) return pageRegistry;
  const registry = new ShortcutRegistry();
  // Spelled out: the Node-side typecheck (which sees this file through its tests) has no DOM.
  const page = globalThis as unknown as {
    addEventListener(type: 'keydown', listener: (e: KeyEventLike) => void): void;
  };
  page.addEventListener('keydown', (e) => registry.dispatch(e));
  pageRegistry = registry;
  return registry;
}

/** Handles `spec.keys` while the calling component is mounted (and `enabled` is not false). */
export function useShortcut(spec: ShortcutSpec, handler: (e: KeyboardEvent) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  const { group, description, enabled } = spec;
  const keys = spec.keys.join('\u0000');
  useEffect(
    () =>
      shortcutRegistry().register({ keys: keys.split('\u0000'), description, group, enabled }, (e) =>
        ref.current(e as unknown as KeyboardEvent),
      ),
    [keys, description, group, enabled],
  );
}

/** Every registered shortcut, grouped, kept current as components mount and unmount. */
export function useShortcutList(): ShortcutGroup[] {
  const registry = shortcutRegistry();
  return useSyncExternalStore(registry.subscribe, registry.list);
}

const KEY_NAMES: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  ' ': 'Space',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
};

/** How a key is written in the help list. */
export function keyLabel(key: string): string {
  return KEY_NAMES[key] ?? key;
}
