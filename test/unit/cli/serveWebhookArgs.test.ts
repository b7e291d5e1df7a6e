// serve's --health-webhook and its TICKSCOPE_HEALTH_WEBHOOK fallback: the flag wins, an empty
// variable means none, anything but an http(s) URL is a usage error naming the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { USAGE, UsageError, parseServeArgs } from '../../../electron/cli/serveArgs.ts';

const ENV = { TICK_DATA_DIR: '/tmp/x' };

test('the flag wins over the environment, which wins over none', () => {
  const hook = 'https://hooks.example/abc';
  assert.equal(parseServeArgs([], ENV).healthWebhook, null);
  assert.equal(parseServeArgs([], { ...ENV, TICKSCOPE_HEALTH_WEBHOOK: '  ' }).healthWebhook, null);
  assert.equal(parseServeArgs([], { ...ENV, TICKSCOPE_HEALTH_WEBHOOK: hook }).healthWebhook, hook);
  assert.equal(
    parseServeArgs(['--health-webhook', 'http://127.0.0.1:9/h'], { ...ENV, TICKSCOPE_HEALTH_WEBHOOK: hook })
      .healthWebhook,
    'http://127.0.0.1:9/h',
  );
  assert.match(USAGE, /--health-webhook URL/);
  assert.match(USAGE, /TICKSCOPE_HEALTH_WEBHOOK/);
});

test('a webhook that is not an http(s) URL is a usage error that says why', () => {
  assert.throws(
    () => parseServeArgs(['--health-webhook', 'ftp://x/y'], ENV),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /--health-webhook: the URL must be http:\/\/ or https:\/\/, got ftp:/);
      return true;
    },
  );
  assert.throws(
    () => parseServeArgs([], { ...ENV, TICKSCOPE_HEALTH_WEBHOOK: 'not a url' }),
    /TICKSCOPE_HEALTH_WEBHOOK: "not a url" is not a URL/,
  );
});
