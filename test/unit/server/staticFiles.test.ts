import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveUnderRoot } from '../../../electron/app/rendererFiles.ts';

const root = path.resolve('/srv/renderer');

test('resolves files under the root; / is index.html', () => {
  assert.equal(resolveUnderRoot(root, '/'), path.join(root, 'index.html'));
  assert.equal(resolveUnderRoot(root, '/assets/app-1.js'), path.join(root, 'assets/app-1.js'));
});

test('refuses every way out of the root', () => {
  for (const p of [
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2e%2e%2fetc%2fpasswd',
    '/..%5c..%5cwindows',
    '/a%00.js',
    '/%E0%A4%A',
    '/..',
  ]) {
    assert.equal(resolveUnderRoot(root, p), null, p);
  }
});
