// One small app per framework, each guarding GET /<fw>/:subject/newsletter with consent to
// email_marketing and auditing the access.
import 'reflect-metadata';
import express from 'express';
import express4 from 'express4';
import Koa from 'koa';
import http from 'node:http';
import Fastify from 'fastify';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { privacyKit as expressKit } from '@privacykit/node/express';
import { privacyKit as koaKit } from '@privacykit/node/koa';
import { privacyKitPlugin } from '@privacykit/node/fastify';
import { PrivacyKitModule, RequiresConsent } from '@privacykit/node/nestjs';

export const PURPOSE = 'email_marketing';
const audit = (subject) => ({ action: 'read', purpose: PURPOSE, subject, categories: ['user.contact.email'], actor: 'node-it' });

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));

export async function expressServer(client, make = express, prefix = 'express') {
  const app = make();
  const pk = expressKit(client);
  const subject = (req) => req.params.subject;
  app.get(`/${prefix}/:subject/newsletter`, pk.auditAccess(audit(subject)), pk.requireConsent({ purposes: [PURPOSE], subject }), (req, res) => {
    res.json({ ok: true, framework: prefix });
  });
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${server.address().port}/${prefix}`, close: () => new Promise((r) => server.close(r)) };
}

export async function koaServer(client) {
  const app = new Koa();
  const pk = koaKit(client);
  const subject = (ctx) => ctx.params.subject;
  const guard = pk.requireConsent({ purposes: [PURPOSE], subject });
  const auditing = pk.auditAccess(audit(subject));
  app.use(async (ctx, next) => {
    const m = /^\/koa\/([^/]+)\/newsletter$/.exec(ctx.path);
    if (!m || ctx.method !== 'GET') return next();
    ctx.params = { subject: decodeURIComponent(m[1]) };
    await auditing(ctx, () =>
      guard(ctx, async () => {
        ctx.body = { ok: true, framework: 'koa' };
      }),
    );
  });
  const server = await listen(http.createServer(app.callback()));
  return { url: `http://127.0.0.1:${server.address().port}/koa`, close: () => new Promise((r) => server.close(r)) };
}

export async function fastifyServer(client) {
  const app = Fastify();
  await app.register(privacyKitPlugin, { client, closeTimeoutMs: 1000 });
  const subject = (req) => req.params.subject;
  app.get(
    '/fastify/:subject/newsletter',
    { config: { privacykit: { consent: { purposes: [PURPOSE], subject }, audit: audit(subject) } } },
    async () => ({ ok: true, framework: 'fastify' }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}/fastify`, close: () => app.close() };
}

export async function nestServer(client) {
  class NewsletterController {
    newsletter(_req) {
      return { ok: true, framework: 'nestjs' };
    }
  }
  const subject = (req) => req.params.subject;
  const proto = NewsletterController.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'newsletter');
  Req()(proto, 'newsletter', 0);
  RequiresConsent({ purposes: [PURPOSE], subject, audit: audit(subject) })(proto, 'newsletter', descriptor);
  Get(':subject/newsletter')(proto, 'newsletter', descriptor);
  Controller('nestjs')(NewsletterController);
  class AppModule {}
  Module({ imports: [PrivacyKitModule.forRoot({ client, shutdownTimeoutMs: 1000 })], controllers: [NewsletterController] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${app.getHttpServer().address().port}/nestjs`, close: () => app.close() };
}

export const frameworks = {
  express: (client) => expressServer(client),
  express4: (client) => expressServer(client, express4, 'express4'), koa: koaServer, fastify: fastifyServer, nestjs: nestServer };
