// Handlers of the feed channels: thin adapters from the validated argument to the feed manager
// and the store's gap ledger. Secrets go in and never come out: answers carry only "is set".
import type { feedRequests } from '../../shared/ipc/feedChannels.ts';
import { MAX_FEED_EVENTS } from '../../shared/ipc/feedChannels.ts';
import type { FeedManager } from './feedManager.ts';
import type { HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';
import type { ServiceContext } from './serviceContext.ts';

export type FeedChannel = keyof typeof feedRequests;

export function createFeedHandlers(ctx: ServiceContext, feeds: FeedManager): HandlerMap<FeedChannel> {
  return {
    'feeds.configs': async () => feeds.entries(),
    'feeds.save': async ({ config }) => feeds.save(config),
    'feeds.remove': async ({ id }) => feeds.remove(id),
    'feeds.setSecret': async ({ id, name, value }) => feeds.setSecret(id, name, value),
    'feeds.start': async ({ id }) => feeds.start(id),
    'feeds.stop': async ({ id }) => feeds.stop(id),
    'feeds.status': async () => feeds.status(),
    'feeds.lastMessages': async ({ id }) => ({ messages: feeds.lastMessages(id) }),
    'feeds.events': async (q) => {
      if (q.fromUs > q.toUs) throw new HandlerError('invalid_argument', 'fromUs is after toUs');
      return ctx.store().feedEvents({ ...q, limit: q.limit ?? MAX_FEED_EVENTS });
    },
  };
}
