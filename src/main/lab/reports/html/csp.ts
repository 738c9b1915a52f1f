// The report's Content-Security-Policy: only the exact inline scripts we wrote may run (by hash), so
// even if some user text escaped its escaping, an injected <script> or event handler would not run.
import { createHash } from 'node:crypto';

export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

export function contentSecurityPolicy(inlineScripts: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${inlineScripts.map(scriptHash).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
