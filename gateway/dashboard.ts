/**
 * The built dashboard (dashboard/dist, see scripts/dashboard-build.ts) served under /dashboard/ from the
 * gateway's own HTTP server, so the app and `/graphql` share one origin (no CORS, and the WebSocket
 * goes to the same host). Static files only: the app carries no secrets and every API call it makes
 * still needs a bearer token. Anything under /dashboard/ that is not a file gets index.html (the app
 * routes in the browser).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

export const DASHBOARD_PATH = '/dashboard';
const DEFAULT_DIST = path.join(__dirname, '..', 'dashboard', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  // Scripts and styles only from this origin; uPlot and Cytoscape set inline style attributes.
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Wraps the gateway's handler: GET/HEAD under /dashboard go to the files in `dist`, the rest to `next`. */
export function withDashboard(next: Handler, dist = DEFAULT_DIST): Handler {
  const root = path.resolve(dist);
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return next(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === DASHBOARD_PATH) {
      res.writeHead(308, { location: `${DASHBOARD_PATH}/` }).end();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(DASHBOARD_PATH.length + 1));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.resolve(root, relative);
    const inside = file.startsWith(root + path.sep) && !relative.split('/').some((part) => part.startsWith('.'));
    const asset = inside && fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? file : undefined;
    // Hashed asset names that are missing are real 404s; any other path is an app route.
    if (!asset && relative.startsWith('assets/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const target = asset ?? path.join(root, 'index.html');
    fs.readFile(target, (error, body) => {
      if (error) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
        res.end('The dashboard is not built: run `npm run dashboard:build` (`npm start` builds it).');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
        'content-length': body.length,
        // Vite names assets by content hash: cache them for good; index.html must always be fresh.
        'cache-control': target.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };
}
