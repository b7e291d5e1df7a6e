// Both shells send the same Content-Security-Policy the renderer's index.html declares in its meta
// tag, read from the built file so the header and the tag can never drift apart.
import { readFile } from 'node:fs/promises';

/** Used only if the built page has no CSP meta tag: no less strict than the renderer's intent. */
export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function extractMetaCsp(html: string): string | null {
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/http-equiv\s*=\s*["']content-security-policy["']/i.test(tag)) continue;
    const content = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(tag);
    if (content)
      return (content[1] ?? content[2])
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .trim();
  }
  return null;
}

/**
 * The policy as a response header. Browsers ignore frame-ancestors in a meta tag (and log an
 * error for it), so the page should not carry it; the header always does, 'none' unless the
 * policy names its own.
 */
export function cspForHeader(csp: string): string {
  const policy = csp.trim();
  const hasFrameAncestors = policy.split(';').some((d) => /^frame-ancestors(\s|$)/i.test(d.trim()));
  if (hasFrameAncestors) return policy;
  return `${policy.replace(/[;\s]+$/, '')}; frame-ancestors 'none'`;
}

/** The CSP both shells send as a header: the built page's meta policy in its header form. */
export async function readRendererCsp(indexHtmlPath: string): Promise<{ csp: string; fromMeta: boolean }> {
  const html = await readFile(indexHtmlPath, 'utf8');
  const csp = extractMetaCsp(html);
  return csp ? { csp: cspForHeader(csp), fromMeta: true } : { csp: FALLBACK_CSP, fromMeta: false };
}
