import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import {
  authenticate,
  bearerToken,
  chooseProtocol,
  createAccessPolicy,
  hostAllowed,
  newToken,
  originAllowed,
  protocolToken,
  redactToken,
  tokenCookie,
  tokenMatches,
} from '../../../electron/server/accessControl.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const token = 'f'.repeat(64);
const policy = createAccessPolicy(token, '127.0.0.1', 5317);

test('tokens are 32 random bytes in hex, new every time', () => {
  const a = newToken();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, newToken());
});

test('token comparison: exact match only, any length', () => {
  assert.equal(tokenMatches(policy, token), true);
  assert.equal(tokenMatches(policy, token.slice(1)), false);
  assert.equal(tokenMatches(policy, `${token}f`), false);
  assert.equal(tokenMatches(policy, ''), false);
  assert.equal(tokenMatches(policy, null), false);
});

test('Host must name this server on its port (DNS rebinding)', () => {
  for (const h of ['127.0.0.1:5317', 'localhost:5317', '[::1]:5317', 'LOCALHOST:5317']) {
    assert.equal(hostAllowed(policy, req({ host: h })), true, h);
  }
  for (const h of ['evil.example:5317', '127.0.0.1:80', 'localhost', '127.0.0.1.evil.example:5317']) {
    assert.equal(hostAllowed(policy, req({ host: h })), false, h);
  }
  assert.equal(hostAllowed(policy, req({})), false);
  const lan = createAccessPolicy(token, 'box.lan', 5317);
  assert.equal(hostAllowed(lan, req({ host: 'box.lan:5317' })), true);
  assert.equal(hostAllowed(lan, req({ host: 'other.lan:5317' })), false);
});

test('WebSocket Origin must be our own origin', () => {
  assert.equal(originAllowed(policy, req({ origin: 'http://127.0.0.1:5317' })), true);
  assert.equal(originAllowed(policy, req({ origin: 'http://localhost:5317' })), true);
  for (const o of ['http://evil.example', 'https://127.0.0.1:5317', 'http://127.0.0.1:5318', 'null']) {
    assert.equal(originAllowed(policy, req({ origin: o })), false, o);
  }
  assert.equal(originAllowed(policy, req({})), false);
});

test('query token or cookie authenticates; the cookie is HttpOnly and SameSite=Strict', () => {
  const cookie = tokenCookie(policy);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const u = (s: string) => new URL(s, 'http://localhost');
  assert.equal(authenticate(policy, req({}), u(`/?token=${token}`)), 'query');
  assert.equal(authenticate(policy, req({ cookie: `a=b; ${cookie.split(';')[0]}` }), u('/app.js')), 'cookie');
  assert.equal(authenticate(policy, req({}), u('/?token=nope')), null);
  assert.equal(authenticate(policy, req({ cookie: 'tickscope_token_5317=nope' }), u('/')), null);
  // Cookies are shared across ports of one host: another server's cookie does not count.
  assert.equal(authenticate(policy, req({ cookie: `tickscope_token_9999=${token}` }), u('/')), null);
});

test('the token may ride as a `token.` subprotocol entry or a Bearer header', () => {
  const u = new URL('/ws', 'http://localhost');
  assert.equal(protocolToken(req({ 'sec-websocket-protocol': `tickscope, token.${token}` })), token);
  assert.equal(protocolToken(req({ 'sec-websocket-protocol': 'tickscope' })), null);
  assert.equal(
    authenticate(policy, req({ 'sec-websocket-protocol': `tickscope, token.${token}` }), u),
    'protocol',
  );
  assert.equal(authenticate(policy, req({ 'sec-websocket-protocol': 'tickscope, token.nope' }), u), null);
  assert.equal(authenticate(policy, req({ authorization: `Bearer ${token}` }), u), 'bearer');
  assert.equal(authenticate(policy, req({ authorization: `Basic ${token}` }), u), null);
  assert.equal(bearerToken(req({ authorization: 'bearer  abc ' })), 'abc');
});

test('only our own subprotocol is echoed, never the token entry', () => {
  assert.equal(chooseProtocol(new Set(['tickscope', `token.${token}`])), 'tickscope');
  assert.equal(chooseProtocol(new Set([`token.${token}`])), false);
});

test('log lines name request targets with every token value replaced', () => {
  assert.equal(redactToken(`/x?a=1&token=${token}&b=2`), '/x?a=1&token=…&b=2');
  assert.equal(redactToken(`http://[bad?TOKEN=${token}#h`), 'http://[bad?TOKEN=…#h');
  assert.equal(redactToken('/assets/app.js'), '/assets/app.js');
});
