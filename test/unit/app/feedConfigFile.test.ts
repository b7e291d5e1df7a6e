// The feed list file: round trip, a missing file is the initial list, and a bad file is refused
// naming the feed and the field rather than half-loaded.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  FeedConfigError,
  feedConfigFile,
  parseFeedList,
  readFeedListFile,
} from '../../../electron/app/feedConfigFile.ts';
import { FEED_CONFIG_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const demo = FEED_CONFIG_SCHEMA.parse({ id: 'demo', kind: 'demo' });

test('a missing file is the initial list; a saved one reads back with defaults applied', async () => {
  const file = path.join(makeTempDir('feeds-'), 'sub', 'feeds.json');
  const store = feedConfigFile(file, () => [demo]);
  assert.deepEqual(await store.load(), [demo]);
  const binance = FEED_CONFIG_SCHEMA.parse({ id: 'binance', kind: 'binance', symbols: ['BTCUSDT'] });
  await store.save([demo, binance]);
  assert.deepEqual(await store.load(), [demo, binance]);
  assert.deepEqual(await readFeedListFile(file), [demo, binance]);
  assert.match(await readFile(file, 'utf8'), /"kind": "binance"/);
});

for (const [label, text, message] of [
  ['not JSON', '{"feeds": [', /not valid JSON/],
  ['no feeds key', '{}', /feeds: /],
  [
    'a bad port',
    '{"feeds":[{"id":"lp","kind":"fix","host":"h","port":0,"senderCompId":"A","targetCompId":"B"}]}',
    /feed "lp", port: /,
  ],
  ['an unknown kind', '{"feeds":[{"id":"x","kind":"bloomberg"}]}', /feed "x", kind: /],
  [
    'an unknown field',
    '{"feeds":[{"id":"x","kind":"demo","colour":"red"}]}',
    /feed "x", \(the feed\): .*colour/,
  ],
  [
    'duplicate ids',
    '{"feeds":[{"id":"x","kind":"demo"},{"id":"x","kind":"demo"}]}',
    /two feeds have the same id/,
  ],
  [
    'a bad ws url',
    '{"feeds":[{"id":"j","kind":"ws-json","url":"http://x","mapping":{"symbol":"s","bid":"b","ask":"a"}}]}',
    /feed "j", url: a WebSocket URL starts with ws:\/\//,
  ],
] as const) {
  test(`a feed list with ${label} is refused naming the problem`, () => {
    assert.throws(
      () => parseFeedList('/etc/feeds.json', text),
      (err: unknown) =>
        err instanceof FeedConfigError &&
        err.message.startsWith('/etc/feeds.json: ') &&
        message.test(err.message),
    );
  });
}

test('an unreadable file is refused with its path and the error code', async () => {
  const dir = makeTempDir('feeds-');
  await assert.rejects(
    () => readFeedListFile(path.join(dir, 'nope.json')),
    /nope\.json: cannot be read \(ENOENT\)/,
  );
  await writeFile(path.join(dir, 'ok.json'), '{"feeds":[]}');
  assert.deepEqual(await readFeedListFile(path.join(dir, 'ok.json')), []);
});
