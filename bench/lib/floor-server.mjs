// The bare-Node floor: the least a Node HTTP handler can do for an intake — parse the JSON, route
// by state/category, write the same rows in one transaction with raw `pg`, answer 201.
// `node floor-server.mjs <port> <databaseUrl>`
import { createServer } from 'node:http';
import pg from 'pg';
import { lodge } from './floor-lodge.mjs';

const [port, databaseUrl] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== 'POST' || typeof body?.subject !== 'string' || body.consent !== true) {
      res.writeHead(400).end();
      return;
    }
    lodge(pool, body).then(
      (out) => {
        const text = JSON.stringify(out);
        res.writeHead(201, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      () => res.writeHead(500).end(),
    );
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`floor on ${port}\n`));
