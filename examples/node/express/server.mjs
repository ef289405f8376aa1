// Express + @privacykit/node: consent-guarded route, audited accesses, webhook receiver, shutdown.
//   PRIVACYKIT_URL=http://127.0.0.1:8080 PRIVACYKIT_TOKEN=... node server.mjs
//   curl -i localhost:3000/users/user-42/newsletter            -> 403 (no consent yet)
//   curl -i -X POST localhost:3000/users/user-42/consent       -> 201 (gives consent via PrivacyKit)
//   curl -i localhost:3000/users/user-42/newsletter            -> 200
import express from 'express';
import { PrivacyKit, createWebhookHandler } from '@privacykit/node';
import { privacyKit } from '@privacykit/node/express';

const client = new PrivacyKit({
  baseUrl: process.env.PRIVACYKIT_URL ?? 'http://127.0.0.1:8080',
  token: process.env.PRIVACYKIT_TOKEN, // or an async function returning a fresh service token
  cache: { ttlMs: 3000 },
});
client.batcher.on('dropped', ({ count, reason }) => console.warn(`audit: ${count} event(s) dropped (${reason})`));

const { context, requireConsent, auditAccess } = privacyKit(client);
const app = express();
app.use(context()); // X-Request-Id / traceparent / Sec-GPC for everything below

// webhooks: raw body, before any JSON parser (register with POST /v1/webhooks; secret from its answer)
if (process.env.PRIVACYKIT_WEBHOOK_SECRET) {
  app.post('/privacykit/webhooks', createWebhookHandler(client, { secret: process.env.PRIVACYKIT_WEBHOOK_SECRET }));
}

const subject = (req) => req.params.userId;
app.get(
  '/users/:userId/newsletter',
  auditAccess({ action: 'read', purpose: 'email_marketing', subject, categories: ['user.contact.email'] }),
  requireConsent({ purposes: ['email_marketing'], subject }),
  (req, res) => res.json({ newsletter: `personalised for ${req.params.userId}` }),
);

// how a sign-up form records consent (the client's own cache is evicted at once)
app.post('/users/:userId/consent', async (req, res, next) => {
  try {
    res.status(201).json(await client.consents.give(req.params.userId, 'email_marketing', { notice_version: 2, language: 'en' }));
  } catch (error) {
    next(error);
  }
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`example on http://127.0.0.1:${server.address().port}`),
);

// the library installs no signal handlers: the app decides how to stop
async function shutdown() {
  server.close();
  const { sent, dropped, left } = await client.close({ timeoutMs: 5000 });
  console.log(`audit: ${sent} sent, ${dropped} dropped, ${left} left`);
  process.exit(left === 0 ? 0 : 1);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
