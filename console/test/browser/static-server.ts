// The 'proxy' mode: serves the built console (dist/) at /console/ with the service's CSP, and
// passes everything else to the service, so the page is same-origin with the API as in the jar.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { CONSOLE_CSP } from './config.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function startProxy(dist: string, service: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built console in ${dist}: run build.sh first`);
  const upstream = new URL(service);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/console') {
      res.writeHead(302, { Location: '/console/' }).end();
      return;
    }
    if (url.pathname.startsWith('/console/')) {
      const rel = normalize(url.pathname.slice('/console/'.length) || 'index.html');
      const file = join(dist, rel);
      if (rel.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONSOLE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      createReadStream(file).pipe(res);
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
