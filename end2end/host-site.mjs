// A stand-in for a news site on another origin (another port), for the
// embed journeys: /loader.html puts a Kieskaart placeholder in the page,
// with each query parameter as a data- attribute, and loads /embed.js from
// Kieskaart; /frame.html?src=/path frames a Kieskaart page directly. Both
// record the height messages they receive in window.heights. /hook
// receives the change feed's webhook deliveries.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 3919);
const kieskaart = process.argv[3] ?? 'http://127.0.0.1:3917';

const escape = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const recordHeights = `<script>
  window.heights = [];
  addEventListener('message', (event) => {
    if (event.data && event.data.kieskaart === 'height') window.heights.push(event.data.height);
  });
</script>`;

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
${recordHeights}</head><body><h1>${title}</h1><p>An article about the elections.</p>${body}</body></html>`;
}

// The change feed journey's webhook receiver: POST /hook keeps each
// delivery (its headers and body); GET /hook lists them as JSON.
const deliveries = [];

function receive(request, response) {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(204).end();
  });
}

createServer((request, response) => {
  const url = new URL(request.url, `http://127.0.0.1:${port}`);
  if (url.pathname === '/hook') {
    if (request.method === 'POST') {
      receive(request, response);
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(deliveries));
    }
    return;
  }
  let html;
  if (url.pathname === '/loader.html') {
    const attributes = [...url.searchParams]
      .map(([name, value]) => ` data-${escape(name)}="${escape(value)}"`)
      .join('');
    html = page(
      'Host page with the loader',
      `<div data-kieskaart${attributes}></div><script src="${kieskaart}/embed.js" async></script>`,
    );
  } else if (url.pathname === '/frame.html') {
    const src = kieskaart + (url.searchParams.get('src') ?? '/');
    html = page('Host page with an iframe', `<iframe src="${escape(src)}" title="Kieskaart" width="400" height="500"></iframe>`);
  } else if (url.pathname === '/health') {
    html = 'ok';
  } else if (url.pathname === '/favicon.ico') {
    response.writeHead(204).end();
    return;
  } else {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}).listen(port, '127.0.0.1');
