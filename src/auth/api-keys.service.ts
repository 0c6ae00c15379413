import { Injectable } from '@nestjs/common';
import { hashToken, newAccessToken } from '../platform/crypto/tokens';
import { ApiKeysRepository, type StoredApiKey } from './api-keys.repository';
import type { StaffPrincipal, StaffRole } from './staff-principal';

const KEY_PREFIX = 'ghk_';
const TOUCH_EVERY_MS = 60_000;

/** Staff API keys: 256 random bits, shown once; only their SHA-256 is stored. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly repository: ApiKeysRepository) {}

  async create(name: string, role: StaffRole): Promise<{ key: string; stored: StoredApiKey }> {
    const secret = newAccessToken();
    const key = `${KEY_PREFIX}${secret}`;
    const stored = await this.repository.insert({
      name,
      role,
      keyHash: hashToken(key),
      prefix: `${KEY_PREFIX}${secret.slice(0, 8)}`,
    });
    return { key, stored };
  }

  async authenticate(key: string): Promise<StaffPrincipal | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
    const stored = await this.repository.findActiveByHash(hashToken(key));
    if (!stored) return null;
    // At most once a minute per key, decided from the row just read: a busy dashboard costs one
    // statement per request, not a read and a write.
    const now = new Date();
    if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
      await this.repository.touch(stored.id, now);
    return { keyId: stored.id, name: stored.name, role: stored.role };
  }

  /** By id or by the key's visible prefix (`ghk_XXXXXXXX`); returns how many were revoked. */
  revoke(idOrPrefix: string): Promise<number> {
    return this.repository.revoke(idOrPrefix);
  }

  list(): Promise<StoredApiKey[]> {
    return this.repository.list();
  }
}
