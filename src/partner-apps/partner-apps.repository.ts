import { Injectable } from '@nestjs/common';
import { KeyTable } from '../platform/database/key-table';
import { PrismaService } from '../platform/database/prisma.service';

export interface StoredPartnerApp {
  id: string;
  name: string;
  prefix: string;
  rateLimitPerMinute: number;
  consentDeclaration: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewPartnerApp {
  name: string;
  rateLimitPerMinute: number;
  consentDeclaration: string;
}

const PARTNER_KEY_PREFIX = 'gpk_';

/** Partner app keys (`gpk_…`): one per civic app's server, with its rate limit and consent text. */
@Injectable()
export class PartnerAppsRepository extends KeyTable<StoredPartnerApp, NewPartnerApp> {
  constructor(prisma: PrismaService) {
    super(prisma, {
      keyPrefix: PARTNER_KEY_PREFIX,
      model: 'partnerApp',
      table: 'partner_apps',
      select: {
        id: true,
        name: true,
        prefix: true,
        rateLimitPerMinute: true,
        consentDeclaration: true,
        createdAt: true,
        revokedAt: true,
        lastUsedAt: true,
      },
    });
  }
}
