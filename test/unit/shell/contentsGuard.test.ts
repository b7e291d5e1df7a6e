// Every way a page could leave app://tickscope/index.html is refused and logged: navigation,
// subframe navigation, redirects, window.open and webviews. Only the index page itself (a reload,
// or its #tab) may load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INDEX_URL } from '../../../electron/shell/appProtocol.ts';
import { guardWebContents } from '../../../electron/shell/contentsGuard.ts';
import { FakeContents, fakeEvent } from '../../helpers/fakeElectron.ts';

function guarded() {
  const contents = new FakeContents();
  const logs: string[] = [];
  guardWebContents(contents, (m) => logs.push(m));
  return { contents, logs };
}

const ELSEWHERE = [
  'https://example.com/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'app://tickscope/other.html',
  'app://evil/index.html',
  `${INDEX_URL}?x=1`,
  'data:text/html,<script>1</script>',
];

test('navigating the window anywhere but the index page is prevented and logged', () => {
  const { contents, logs } = guarded();
  for (const url of ELSEWHERE) {
    const e = fakeEvent({ url });
    contents.emit('will-navigate', e, url);
    assert.equal(e.defaultPrevented, true, `navigation to ${url} was allowed`);
  }
  assert.equal(logs.length, ELSEWHERE.length);
  assert.match(logs[0], /^navigation blocked: https:\/\/example\.com\/$/);
});

test('the index page itself (a reload, a #tab) may load', () => {
  const { contents, logs } = guarded();
  for (const url of [INDEX_URL, `${INDEX_URL}#history`]) {
    const nav = fakeEvent({ url });
    contents.emit('will-navigate', nav, url);
    const frame = fakeEvent({ url, isMainFrame: true });
    contents.emit('will-frame-navigate', frame);
    assert.equal(nav.defaultPrevented, false, url);
    assert.equal(frame.defaultPrevented, false, url);
  }
  assert.deepEqual(logs, []);
});

test('frame navigations: the main frame only to the index page, a subframe never', () => {
  const { contents, logs } = guarded();
  const main = fakeEvent({ url: 'https://example.com/', isMainFrame: true });
  contents.emit('will-frame-navigate', main);
  const sub = fakeEvent({ url: INDEX_URL, isMainFrame: false });
  contents.emit('will-frame-navigate', sub);
  assert.equal(main.defaultPrevented, true);
  assert.equal(sub.defaultPrevented, true, 'a subframe may not even load our own page');
  assert.deepEqual(logs, [
    'navigation blocked: https://example.com/',
    `subframe navigation blocked: ${INDEX_URL}`,
  ]);
});

test('every redirect is prevented, even to our own origin', () => {
  const { contents, logs } = guarded();
  for (const url of ['https://example.com/', INDEX_URL]) {
    const e = fakeEvent({ url });
    contents.emit('will-redirect', e, url);
    assert.equal(e.defaultPrevented, true, url);
  }
  assert.deepEqual(logs, ['redirect blocked: https://example.com/', `redirect blocked: ${INDEX_URL}`]);
});

test('window.open is denied for every URL, ours included', () => {
  const { contents, logs } = guarded();
  assert.ok(contents.windowOpenHandler, 'no window open handler was set');
  for (const url of ['https://example.com/', INDEX_URL, 'about:blank']) {
    assert.deepEqual(contents.windowOpenHandler({ url }), { action: 'deny' });
  }
  assert.equal(logs.length, 3);
  assert.match(logs[2], /^window\.open blocked: about:blank$/);
});

test('a webview is never attached', () => {
  const { contents, logs } = guarded();
  const e = fakeEvent({});
  contents.emit('will-attach-webview', e, {}, { src: 'https://example.com/' });
  const bare = fakeEvent({});
  contents.emit('will-attach-webview', bare, {}, {});
  assert.equal(e.defaultPrevented, true);
  assert.equal(bare.defaultPrevented, true);
  assert.deepEqual(logs, ['webview blocked: https://example.com/', 'webview blocked: (no src)']);
});
