import { Injectable } from '@nestjs/common';
import { hashToken, newAccessToken } from '../platform/crypto/tokens';
import {
  PartnerAppsRepository,
  type NewPartnerApp,
  type StoredPartnerApp,
} from './partner-apps.repository';

export const PARTNER_KEY_PREFIX = 'gpk_';
const TOUCH_EVERY_MS = 60_000;

/** The app a request was made for, once its key checked out (partner-key.middleware.ts). */
export interface PartnerPrincipal {
  id: string;
  name: string;
  rateLimitPerMinute: number;
}

export type PartnerAppInput = Omit<NewPartnerApp, 'keyHash' | 'prefix'>;

/**
 * Partner app keys: one per civic app's server, 256 random bits shown once, only the SHA-256 kept
 * (as staff keys are, src/auth/api-keys.service.ts). A distinct prefix keeps the two apart.
 */
@Injectable()
export class PartnerAppsService {
  constructor(private readonly repository: PartnerAppsRepository) {}

  async create(app: PartnerAppInput): Promise<{ key: string; stored: StoredPartnerApp }> {
    const secret = newAccessToken();
    const key = `${PARTNER_KEY_PREFIX}${secret}`;
    const stored = await this.repository.insert({
      ...app,
      keyHash: hashToken(key),
      prefix: `${PARTNER_KEY_PREFIX}${secret.slice(0, 8)}`,
    });
    return { key, stored };
  }

  async authenticate(key: string): Promise<PartnerPrincipal | null> {
    if (!key.startsWith(PARTNER_KEY_PREFIX) || key.length > 100) return null;
    const stored = await this.repository.findActiveByHash(hashToken(key));
    if (!stored) return null;
    const now = new Date();
    if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
      await this.repository.touch(stored.id, now);
    return { id: stored.id, name: stored.name, rateLimitPerMinute: stored.rateLimitPerMinute };
  }

  /** By id or by the key's visible prefix (`gpk_XXXXXXXX`); returns how many were revoked. */
  revoke(idOrPrefix: string): Promise<number> {
    return this.repository.revoke(idOrPrefix);
  }

  list(): Promise<StoredPartnerApp[]> {
    return this.repository.list();
  }
}
