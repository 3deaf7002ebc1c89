// A stand-in for the map tile service, on loopback: every tile is the same
// light-grey image. Browser tests never call the real PDOK service.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 3918);
// A 1×1 PNG; Leaflet stretches it over the 256×256 tile.
const tile = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC',
  'base64',
);
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
  response.end(tile);
}).listen(port, '127.0.0.1');
