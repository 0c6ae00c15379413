import { Injectable } from '@nestjs/common';
import { KeyTable } from '../platform/database/key-table';
import { PrismaService } from '../platform/database/prisma.service';
import type { StaffRole } from './staff-principal';

export interface StoredApiKey {
  id: string;
  name: string;
  role: StaffRole;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Staff API keys (`ghk_…`): a name and a role each. */
@Injectable()
export class ApiKeysRepository extends KeyTable<StoredApiKey, { name: string; role: StaffRole }> {
  constructor(prisma: PrismaService) {
    super(prisma, {
      keyPrefix: 'ghk_',
      model: 'apiKey',
      table: 'api_keys',
      select: {
        id: true,
        name: true,
        role: true,
        prefix: true,
        createdAt: true,
        revokedAt: true,
        lastUsedAt: true,
      },
    });
  }
}
