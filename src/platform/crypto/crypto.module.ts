import { Global, Module } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { PiiCipher } from './pii-cipher';

@Global()
@Module({
  providers: [
    {
      provide: PiiCipher,
      inject: [HUB_CONFIG],
      useFactory: ({ env }: HubConfig) => {
        if (!env.piiEncryptionKey || !env.piiLookupKey) {
          throw new Error('PII_ENCRYPTION_KEY and PII_LOOKUP_KEY must be set (base64, 32 bytes)');
        }
        return new PiiCipher({
          current: Buffer.from(env.piiEncryptionKey, 'base64'),
          previous: env.piiPreviousKeys.map((k) => Buffer.from(k, 'base64')),
          lookup: Buffer.from(env.piiLookupKey, 'base64'),
        });
      },
    },
  ],
  exports: [PiiCipher],
})
export class CryptoModule {}
