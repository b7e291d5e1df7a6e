// Channels of the feed screens: the configured feeds (persisted), their live status, secrets
// (write-only: a value goes in, only "is set" comes out) and the gap ledger.
import { z } from 'zod';
import type { FeedEvent } from '../feeds/feedEvents.ts';
import { FEED_EVENT_KINDS } from '../feeds/feedEvents.ts';
import type { FeedConfig } from '../feeds/feedConfig.ts';
import { FEED_CONFIG_SCHEMA, FEED_ID_PATTERN, FEED_SECRET_NAMES } from '../feeds/feedConfig.ts';
import type { FeedStatus } from '../feeds/feedStatus.ts';
import { MAX_SYMBOL_LENGTH } from '../tick.ts';
import { event, request } from './define.ts';

const none = z.strictObject({});
const feedId = z.string().regex(FEED_ID_PATTERN);
const timeUs = z
  .int()
  .min(31_536_000_000_000)
  .max(2 ** 53 - 1);

/** A configured feed as the screens see it: the config plus which of its secrets are set. */
export interface FeedEntry {
  config: FeedConfig;
  secretsSet: Partial<Record<(typeof FEED_SECRET_NAMES)[number], boolean>>;
  running: boolean;
}

export const MAX_FEED_EVENTS = 10_000;

export const feedRequests = {
  'feeds.configs': request<FeedEntry[]>()(none),
  /** Adds the feed, or replaces the one with its id; a running feed restarts with the new config. */
  'feeds.save': request<FeedEntry[]>()(z.strictObject({ config: FEED_CONFIG_SCHEMA })),
  'feeds.remove': request<FeedEntry[]>()(z.strictObject({ id: feedId })),
  /** Stores (or with null, deletes) a secret of a feed; the value never comes back out. */
  'feeds.setSecret': request<FeedEntry[]>()(
    z.strictObject({ id: feedId, name: z.enum(FEED_SECRET_NAMES), value: z.string().max(4096).nullable() }),
  ),
  'feeds.start': request<FeedStatus[]>()(z.strictObject({ id: feedId })),
  'feeds.stop': request<FeedStatus[]>()(z.strictObject({ id: feedId })),
  'feeds.status': request<FeedStatus[]>()(none),
  /** The last raw messages of a running feed (newest last), for the mapping preview. */
  'feeds.lastMessages': request<{ messages: string[] }>()(z.strictObject({ id: feedId })),
  /** Gap-ledger entries from the day files and the running feeds, oldest first. */
  'feeds.events': request<FeedEvent[]>()(
    z.strictObject({
      fromUs: timeUs,
      toUs: timeUs,
      feed: feedId.optional(),
      symbol: z.string().min(1).max(MAX_SYMBOL_LENGTH).optional(),
      kinds: z.array(z.enum(FEED_EVENT_KINDS)).max(FEED_EVENT_KINDS.length).optional(),
      limit: z.int().min(1).max(MAX_FEED_EVENTS).optional(),
    }),
  ),
};

export const feedEvents = {
  /** Every running feed's status, about once per second. */
  'feeds.status': event<{ feeds: FeedStatus[] }>(),
  /** Gap-ledger entries as they happen. */
  'feeds.event': event<{ events: FeedEvent[] }>(),
};
