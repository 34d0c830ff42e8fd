import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const directory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'console');
const html = 'text/html; charset=utf-8';
const script = 'text/javascript; charset=utf-8';
const files: Record<string, { file: string; type: string }> = {
  '/console': { file: 'index.html', type: html },
  '/console/accept.html': { file: 'accept.html', type: html },
  '/console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  ...Object.fromEntries(['console', 'api', 'members', 'invitations', 'live', 'accept']
    .map((name) => [`/console/${name}.js`, { file: `${name}.js`, type: script }])),
};

/**
 * Scripts and styles only from this origin, none inline; calls only to this API and the command
 * API's origins; no framing, no forms posted elsewhere, no <base>. A page opened with another
 * `#api=` than configured cannot send the user's token there.
 */
export function consoleContentSecurityPolicy(commandApiOrigins: readonly string[]) {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    `connect-src 'self' ${commandApiOrigins.join(' ')}`.trim(),
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The admin console (query-api/console/): static files, public; the page asks for the user's token
 * and calls only the public APIs with it (this one, and the command API at `commandApiOrigins`,
 * which must allow this origin by CORS: CONSOLE_ORIGINS).
 */
export function installConsole(app: FastifyInstance, options: { commandApiOrigins: readonly string[] }) {
  const policy = consoleContentSecurityPolicy(options.commandApiOrigins);
  for (const [url, { file, type }] of Object.entries(files)) {
    app.get(url, async (_request, reply) => reply
      .type(type)
      .header('content-security-policy', policy)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(await readFile(path.join(directory, file))));
  }
}
