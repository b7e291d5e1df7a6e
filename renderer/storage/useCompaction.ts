// The compaction run as the Storage tab follows it: the current (or last) run on mount, a start
// (storage.compact), and a poll of storage.compaction every 500 ms while it runs. `onChange` is
// called whenever a day finished or the run ended, so the days table can show the new tiers.
import { useEffect, useRef, useState } from 'react';
import type { CompactionProgress, CompactionRequest } from '../../shared/archive.ts';
import { errorText, useApp } from '../app/hooks.ts';

export const COMPACTION_POLL_MS = 500;

export interface CompactionState {
  progress: CompactionProgress | null;
  error: string | null;
  /** A start is on its way or a run is going: no second start. */
  busy: boolean;
  start: (request: CompactionRequest) => Promise<void>;
}

export function useCompaction(onChange: () => void): CompactionState {
  const { api, epoch } = useApp();
  const [progress, setProgress] = useState<CompactionProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  // A run may already be going (the daily one, or one started from another window).
  useEffect(() => {
    let live = true;
    api.call('storage.compaction', {}).then(
      (p) => live && setProgress(p),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [api, epoch]);

  const running = progress?.running ?? false;
  useEffect(() => {
    if (!running) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One poll at a time: the next is scheduled when the previous answered.
    const poll = () => {
      timer = setTimeout(() => {
        api.call('storage.compaction', {}).then(
          (p) => {
            if (!live) return;
            setProgress(p);
            setError(null);
            if (p.running) poll();
          },
          (err: unknown) => {
            if (!live) return;
            setError(errorText(err));
            poll();
          },
        );
      }, COMPACTION_POLL_MS);
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, running]);

  // Tell the owner when the run moved on; the first report (on mount) is not a change.
  const seen = useRef<{ done: number; running: boolean; started: number | null } | null>(null);
  useEffect(() => {
    if (!progress) return;
    const prev = seen.current;
    seen.current = { done: progress.daysDone, running: progress.running, started: progress.startedAtUs };
    if (!prev) return;
    if (
      prev.done !== progress.daysDone ||
      prev.started !== progress.startedAtUs ||
      (prev.running && !progress.running)
    )
      onChangeRef.current();
  }, [progress]);

  const start = async (request: CompactionRequest) => {
    setStarting(true);
    setError(null);
    try {
      setProgress(await api.call('storage.compact', request));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  return { progress, error, busy: starting || running, start };
}
