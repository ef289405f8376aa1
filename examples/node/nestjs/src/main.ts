// NestJS + @privacykit/node: PrivacyKitModule, @RequiresConsent(), the client injected, flush on shutdown.
//   PRIVACYKIT_URL=http://127.0.0.1:8080 PRIVACYKIT_TOKEN=... npm start
//   curl -i localhost:3000/users/user-42/newsletter              -> 403 until consent is given
//   curl -i -X POST localhost:3000/users/user-42/consent         -> 201
//   curl -i localhost:3000/users/user-42/newsletter              -> 200
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { PrivacyKit } from '@privacykit/node';
import { PRIVACYKIT, PrivacyKitModule, RequiresConsent, type NestRequest } from '@privacykit/node/nestjs';

const subject = (req: NestRequest) => req.params?.userId;

@Controller('users/:userId')
class NewsletterController {
  constructor(@Inject(PRIVACYKIT) private readonly privacykit: PrivacyKit) {}

  @Get('newsletter')
  @RequiresConsent({
    purposes: ['email_marketing'],
    subject,
    audit: { action: 'read', purpose: 'email_marketing', subject, categories: ['user.contact.email'] },
  })
  newsletter(@Param('userId') userId: string) {
    return { newsletter: `personalised for ${userId}` };
  }

  @Post('consent')
  consent(@Param('userId') userId: string) {
    return this.privacykit.consents.give(userId, 'email_marketing', { notice_version: 2, language: 'en' });
  }
}

@Module({
  imports: [
    // or PrivacyKitModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ ... }) })
    PrivacyKitModule.forRoot({
      baseUrl: process.env.PRIVACYKIT_URL ?? 'http://127.0.0.1:8080',
      token: process.env.PRIVACYKIT_TOKEN!,
      shutdownTimeoutMs: 5000,
    }),
  ],
  controllers: [NewsletterController],
})
class AppModule {}

async function main() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // Nest's own SIGTERM handling: app.close() flushes the audit queue
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`example on ${await app.getUrl()}`);
}
void main();
