// Which URLs and IPC senders count as our own page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIndexUrl, isTrustedSender, navigationAllowed } from '../../../electron/shell/appOrigin.ts';
import { INDEX_URL } from '../../../electron/shell/appProtocol.ts';

const NOT_OURS = [
  'app://tickscope/index.html?x=1',
  'app://tickscope/',
  'app://tickscope/other.html',
  'app://tickscope/assets/app.js',
  'app://tickscope.evil/index.html',
  'app://evil/index.html',
  'app://tickscope:1/index.html',
  'app://user@tickscope/index.html',
  'APP://tickscope/index.html',
  'http://tickscope/index.html',
  'https://example.com/',
  'file:///opt/Tickscope/resources/app.asar/dist/renderer/index.html',
  'javascript:alert(1)',
  'about:blank',
  '',
];

test('the index URL, with or without a #tab, is ours; nothing else is', () => {
  assert.equal(isIndexUrl(INDEX_URL), true);
  assert.equal(isIndexUrl(`${INDEX_URL}#history`), true);
  for (const url of NOT_OURS) assert.equal(isIndexUrl(url), false, url);
});

test('navigation may lead only to our index page', () => {
  assert.equal(navigationAllowed(INDEX_URL), true);
  for (const url of NOT_OURS) assert.equal(navigationAllowed(url), false, url);
});

const contents = { id: 1 };
const win = { isDestroyed: () => false, webContents: contents };
const topFrame = (url = INDEX_URL) => ({ parent: null, url });

test('IPC from our window, top frame, index page is trusted', () => {
  assert.equal(isTrustedSender({ sender: contents, senderFrame: topFrame() }, win), true);
  assert.equal(isTrustedSender({ sender: contents, senderFrame: topFrame(`${INDEX_URL}#live`) }, win), true);
});

test('IPC from anything else is refused', () => {
  const cases: Array<[string, Parameters<typeof isTrustedSender>]> = [
    ['another webContents', [{ sender: { id: 2 }, senderFrame: topFrame() }, win]],
    ['a subframe', [{ sender: contents, senderFrame: { parent: topFrame(), url: INDEX_URL } }, win]],
    ['a destroyed frame', [{ sender: contents, senderFrame: null }, win]],
    ['another page', [{ sender: contents, senderFrame: topFrame('app://tickscope/x.html') }, win]],
    ['a file:// page', [{ sender: contents, senderFrame: topFrame('file:///index.html') }, win]],
    ['no window', [{ sender: contents, senderFrame: topFrame() }, null]],
    [
      'a destroyed window',
      [
        { sender: contents, senderFrame: topFrame() },
        { isDestroyed: () => true, webContents: contents },
      ],
    ],
  ];
  for (const [what, args] of cases) assert.equal(isTrustedSender(...args), false, what);
});
