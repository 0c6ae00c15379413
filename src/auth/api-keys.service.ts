import { Injectable } from '@nestjs/common';
import { hashToken, newAccessToken } from '../platform/crypto/tokens';
import { ApiKeysRepository, type StoredApiKey } from './api-keys.repository';
import type { StaffPrincipal, StaffRole } from './staff-principal';

const KEY_PREFIX = 'ghk_';

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
    await this.repository.touch(stored.id, new Date());
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
