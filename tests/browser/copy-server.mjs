// A static copy served as a plain file server with no rules serves it: each path is the file of that name under
// the copy's folder (index.html for a folder), with its content type; anything else is 404.

import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };

/** Serves the folder `exported` on a free loopback port; resolves to the server and its base address. */
export async function serveCopy(exported) {
  const server = http.createServer((request, response) => {
    const wanted = decodeURIComponent(new URL(request.url, 'http://copy').pathname);
    const file = path.join(exported, wanted.endsWith('/') ? `${wanted}index.html` : wanted);
    if (!file.startsWith(exported) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, served: `http://127.0.0.1:${server.address().port}` };
}
