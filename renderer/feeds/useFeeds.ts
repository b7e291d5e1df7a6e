// The Feeds tab's data: the configured feeds and every running feed's status (pushed about once
// a second), kept in a StatusBook.
import { useCallback, useEffect, useState } from 'react';
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';
import type { FeedEntry } from '../../shared/ipc/feedChannels.ts';
import { useApp, useEvent, useRequest } from '../app/hooks.ts';
import type { StatusBook } from './statusBook.ts';
import { EMPTY_BOOK, nextBook } from './statusBook.ts';

export function useFeeds() {
  const { api, epoch } = useApp();
  const configs = useRequest('feeds.configs', {});
  const [book, setBook] = useState<StatusBook>(EMPTY_BOOK);
  const applyStatuses = useCallback((list: readonly FeedStatus[]) => {
    const atMs = Date.now();
    setBook((prev) => nextBook(prev, list, atMs));
  }, []);

  useEffect(() => {
    let live = true;
    api.call('feeds.status', {}).then(
      (list) => live && applyStatuses(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, epoch, applyStatuses]);
  useEvent('feeds.status', (p) => applyStatuses(p.feeds));

  const isRunning = (e: FeedEntry) => (book.known ? book.running.has(e.config.id) : e.running);

  return {
    entries: configs.data,
    entriesError: configs.error,
    entriesLoading: configs.loading,
    reloadEntries: configs.reload,
    setEntries: configs.set,
    book,
    applyStatuses,
    isRunning,
  };
}
