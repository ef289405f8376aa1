// PrivacyKitModule.forRootAsync with the ./testing fake: DI wiring, the guard, shutdown close.
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module, Inject } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrivacyKitModule, RequiresConsent, PRIVACYKIT } from '../../dist/esm/nestjs.js';
import { FakePrivacyKit } from '../../dist/esm/testing.js';

test('forRootAsync + @RequiresConsent on a controller class; the client is injectable and closed on shutdown', async () => {
  const fake = new FakePrivacyKit();
  let closed = 0;
  fake.close = async () => (closed++, { sent: 0, dropped: 0, left: 0 });
  const CONFIG = 'CONFIG';

  class Things {
    constructor(client) {
      this.client = client;
    }
    one() {
      return { same: this.client === fake };
    }
  }
  Inject(PRIVACYKIT)(Things, undefined, 0);
  const d = Object.getOwnPropertyDescriptor(Things.prototype, 'one');
  Get(':subject')(Things.prototype, 'one', d);
  RequiresConsent({ purposes: ['p'], subject: (req) => req.params.subject, audit: { purpose: 'p', subject: (req) => req.params.subject } })(Things);
  Controller('things')(Things);

  class ConfigModule {}
  Module({ providers: [{ provide: CONFIG, useValue: { client: fake } }], exports: [CONFIG] })(ConfigModule);
  class AppModule {}
  Module({
    imports: [PrivacyKitModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: async (config) => ({ client: config.client }) })],
    controllers: [Things],
  })(AppModule);

  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}/things`;
  try {
    const denied = await fetch(`${url}/a`);
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('content-type'), /application\/problem\+json/);
    assert.deepEqual((await denied.json()).reasons, { p: 'no_consent' });
    await fake.consents.give('a', 'p', { notice_version: 1 });
    const ok = await fetch(`${url}/a`, { headers: { 'x-request-id': 'nest-1' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { same: true });
    fake.unavailable = true;
    const down = await fetch(`${url}/a`);
    assert.equal(down.status, 503);
    assert.ok(Number(down.headers.get('retry-after')) > 0);
  } finally {
    await app.close();
  }
  assert.equal(closed, 1, 'closed on shutdown');
  assert.deepEqual(fake.audit.entries.map((e) => e.outcome), ['denied', 'success', 'failure']);
  assert.equal(fake.audit.entries[1].request_id, 'nest-1');
});
