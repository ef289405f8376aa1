// The Express app under test: GET /hello (bare) and GET /guarded/:subject (consent check +
// audit event per request through @privacykit/node). PORT, PRIVACYKIT_URL, PRIVACYKIT_TOKEN.
// GET /stats answers how many guarded requests were answered and audited.
import express from 'express';
import { PrivacyKit } from '@privacykit/node';
import { privacyKit } from '@privacykit/node/express';

const client = new PrivacyKit({
  baseUrl: process.env.PRIVACYKIT_URL,
  token: process.env.PRIVACYKIT_TOKEN,
  audit: { maxBatch: 500, flushIntervalMs: 200, maxQueue: 100_000, idempotencyKeys: process.env.AUDIT_KEYS !== '0' },
});
const pk = privacyKit(client);
const app = express();
app.disable('x-powered-by');
let audited = 0;
let ok = 0;
app.get('/hello', (req, res) => res.json({ ok: true }));
const subject = (req) => req.params.subject;
app.get(
  '/guarded/:subject',
  (req, res, next) => {
    res.once('finish', () => audited++);
    next();
  },
  pk.auditAccess({ action: 'read', purpose: 'email_marketing', subject, actor: 'bench-node', categories: ['user.contact.email'] }),
  pk.requireConsent({ purposes: ['email_marketing'], subject }),
  (req, res) => {
    ok++;
    res.json({ ok: true });
  },
);
app.get('/stats', (req, res) =>
  res.json({ audited, ok, cache: { hits: client.cache.hits, misses: client.cache.misses }, sent: client.batcher.sent, dropped: client.batcher.dropped, pending: client.batcher.pending }),
);
app.post('/close', async (req, res) => res.json(await client.close({ timeoutMs: 60_000 })));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
