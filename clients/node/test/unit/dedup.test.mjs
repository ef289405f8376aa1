// The batcher against a local stand-in that implements the service's audit idempotency contract,
// behind a proxy that drops one response after the commit: nothing is lost, nothing duplicated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { PrivacyKit } from '../../dist/esm/index.js';

function contractServer() {
  const log = [];
  const keys = new Map(); // key -> { seq, content }
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { events } = JSON.parse(body);
      const seqs = [];
      for (const [i, event] of events.entries()) {
        const { idempotency_key: key, ...content } = event;
        const previous = key && keys.get(key);
        if (previous && previous.content !== JSON.stringify(content)) {
          res.writeHead(409, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ status: 409, title: 'Conflict', pointer: `/events/${i}/idempotency_key` }));
          return;
        }
        if (previous) seqs.push(previous.seq);
        else {
          log.push(event);
          if (key) keys.set(key, { seq: log.length - 1, content: JSON.stringify(content) });
          seqs.push(log.length - 1);
        }
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ seqs }));
    });
  });
  return { server, log };
}

function droppingProxy(target) {
  let armed = true;
  const server = http.createServer((req, res) => {
    const up = http.request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        if (armed) {
          armed = false;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode, answer.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    req.pipe(up);
  });
  return server;
}

const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${s.address().port}`)));

test('a response lost after commit is retried with the same keys: every event exactly once', async () => {
  const { server, log } = contractServer();
  const target = await listen(server);
  const proxy = droppingProxy(target);
  const url = await listen(proxy);
  try {
    const client = new PrivacyKit({ baseUrl: url, token: 't', audit: { maxBatch: 10, flushIntervalMs: 60_000, backoffBaseMs: 10 } });
    const retries = [];
    client.batcher.on('retry', (r) => retries.push(r));
    for (let i = 0; i < 25; i++) client.audit.record({ action: 'read', subject: `s${i}` });
    const result = await client.close({ timeoutMs: 10_000 });
    assert.deepEqual(result, { sent: 25, dropped: 0, left: 0 });
    assert.equal(retries.length, 1, 'one retry after the dropped response');
    assert.deepEqual(log.map((e) => e.subject), Array.from({ length: 25 }, (_, i) => `s${i}`));
  } finally {
    proxy.closeAllConnections();
    proxy.close();
    server.closeAllConnections();
    server.close();
  }
});
