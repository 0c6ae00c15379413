import { Injectable } from '@nestjs/common';
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

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  rateLimitPerMinute: true,
  consentDeclaration: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

export interface NewPartnerApp {
  name: string;
  keyHash: string;
  prefix: string;
  rateLimitPerMinute: number;
  consentDeclaration: string;
}

@Injectable()
export class PartnerAppsRepository {
  constructor(private readonly prisma: PrismaService) {}

  insert(app: NewPartnerApp): Promise<StoredPartnerApp> {
    return this.prisma.partnerApp.create({ data: app, select: PUBLIC_FIELDS });
  }

  findActiveByHash(keyHash: string): Promise<StoredPartnerApp | null> {
    return this.prisma.partnerApp.findFirst({
      where: { keyHash, revokedAt: null },
      select: PUBLIC_FIELDS,
    });
  }

  /** Records use; concurrent requests may both write, which is harmless. */
  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE partner_apps SET last_used_at = ${at}
      WHERE id = ${id}::uuid AND (last_used_at IS NULL OR last_used_at < ${at})`;
  }

  async revoke(idOrPrefix: string): Promise<number> {
    const { count } = await this.prisma.partnerApp.updateMany({
      where: {
        revokedAt: null,
        OR: [{ prefix: idOrPrefix }, ...(isUuid(idOrPrefix) ? [{ id: idOrPrefix }] : [])],
      },
      data: { revokedAt: new Date() },
    });
    return count;
  }

  list(): Promise<StoredPartnerApp[]> {
    return this.prisma.partnerApp.findMany({
      select: PUBLIC_FIELDS,
      orderBy: { createdAt: 'asc' },
    });
  }
}

const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
