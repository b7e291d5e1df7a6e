import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMetaCsp } from '../../../electron/app/rendererCsp.ts';

test('reads the CSP meta tag whatever the attribute order and quoting', () => {
  const csp = "default-src 'self'; script-src 'self'";
  assert.equal(
    extractMetaCsp(`<head><meta http-equiv="Content-Security-Policy" content="${csp}"></head>`),
    csp,
  );
  assert.equal(extractMetaCsp(`<meta content="${csp}" http-equiv='content-security-policy' />`), csp);
  assert.equal(
    extractMetaCsp(`<meta charset="utf-8"><meta name="viewport" content="width=device-width">`),
    null,
  );
});
