import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const directory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dashboard');
const files = {
  '/dashboard': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
} as const;

/**
 * The analytics dashboard (query-api/dashboard/): static files, public; the page itself asks for a
 * tenant token and calls the analytics routes with it, so it shows only that tenant's figures.
 * Scripts only from this origin, no framing.
 */
export function installDashboard(app: FastifyInstance) {
  for (const [url, { file, type }] of Object.entries(files)) {
    app.get(url, async (_request, reply) => reply
      .type(type)
      .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
      .header('cache-control', 'no-cache')
      .send(await readFile(path.join(directory, file))));
  }
}
