import { Injectable } from '@nestjs/common';
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

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(key: { name: string; role: StaffRole; keyHash: string; prefix: string }) {
    return (await this.prisma.apiKey.create({ data: key, select: PUBLIC_FIELDS })) as StoredApiKey;
  }

  async findActiveByHash(keyHash: string): Promise<StoredApiKey | null> {
    return (await this.prisma.apiKey.findFirst({
      where: { keyHash, revokedAt: null },
      select: PUBLIC_FIELDS,
    })) as StoredApiKey | null;
  }

  /** Records use; concurrent requests may both write, which is harmless. */
  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE api_keys SET last_used_at = ${at}
      WHERE id = ${id}::uuid AND (last_used_at IS NULL OR last_used_at < ${at})`;
  }

  async revoke(idOrPrefix: string): Promise<number> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: {
        revokedAt: null,
        OR: [{ prefix: idOrPrefix }, ...(isUuid(idOrPrefix) ? [{ id: idOrPrefix }] : [])],
      },
      data: { revokedAt: new Date() },
    });
    return count;
  }

  async list(): Promise<StoredApiKey[]> {
    return (await this.prisma.apiKey.findMany({
      select: PUBLIC_FIELDS,
      orderBy: { createdAt: 'asc' },
    })) as StoredApiKey[];
  }
}

const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
