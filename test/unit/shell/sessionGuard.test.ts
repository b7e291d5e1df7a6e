// The session refuses every permission and download and puts the renderer's CSP on every
// response, replacing whatever policy the response brought.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardSession } from '../../../electron/shell/sessionGuard.ts';
import { FakeSession } from '../../helpers/fakeElectron.ts';

const CSP = "default-src 'self'; frame-ancestors 'none'";

function guarded() {
  const ses = new FakeSession();
  const logs: string[] = [];
  guardSession(ses, CSP, (m) => logs.push(m));
  return { ses, logs };
}

test('every permission request is denied and logged', () => {
  const { ses, logs } = guarded();
  const permissions = [
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'hid',
    'serial',
  ];
  for (const p of permissions) {
    let granted: boolean | null = null;
    ses.permissionRequest!({}, p, (g) => (granted = g));
    assert.equal(granted, false, `${p} was granted`);
  }
  assert.deepEqual(
    logs,
    permissions.map((p) => `permission request denied: ${p}`),
  );
});

test('permission checks and device permissions answer no', () => {
  const { ses } = guarded();
  for (const p of ['media', 'clipboard-sanitized-write', 'fullscreen'])
    assert.equal(ses.permissionCheck!(null, p), false);
  assert.equal(ses.devicePermission!(), false);
});

test('downloads are cancelled and logged', () => {
  const { ses, logs } = guarded();
  assert.equal(ses.download('app://tickscope/assets/x.js'), true);
  assert.deepEqual(logs, ['download blocked: app://tickscope/assets/x.js']);
});

test('every response gets the CSP and nosniff; an upstream policy in any spelling is replaced', () => {
  const { ses } = guarded();
  const out = ses.respond('https://example.com/', {
    'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
    'X-Content-Type-Options': ['off'],
    'Content-Type': ['text/html'],
  });
  assert.deepEqual(out, {
    'Content-Type': ['text/html'],
    'Content-Security-Policy': [CSP],
    'X-Content-Type-Options': ['nosniff'],
  });
  assert.deepEqual(ses.respond('app://tickscope/index.html', undefined as never), {
    'Content-Security-Policy': [CSP],
    'X-Content-Type-Options': ['nosniff'],
  });
});
