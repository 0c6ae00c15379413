import { Injectable } from '@nestjs/common';
import {
  PartnerAppsRepository,
  type NewPartnerApp,
  type StoredPartnerApp,
} from './partner-apps.repository';

/** The app a request was made for, once its key checked out (partner-key.middleware.ts). */
export interface PartnerPrincipal {
  id: string;
  name: string;
  rateLimitPerMinute: number;
}

export type PartnerAppInput = NewPartnerApp;

/**
 * Partner app keys: one per civic app's server, 256 random bits shown once, only the SHA-256 kept
 * (as staff keys are: both are a KeyTable). A distinct prefix keeps the two apart.
 */
@Injectable()
export class PartnerAppsService {
  constructor(private readonly repository: PartnerAppsRepository) {}

  create(app: PartnerAppInput): Promise<{ key: string; stored: StoredPartnerApp }> {
    return this.repository.issue(app);
  }

  async authenticate(key: string): Promise<PartnerPrincipal | null> {
    const stored = await this.repository.authenticate(key);
    return (
      stored && { id: stored.id, name: stored.name, rateLimitPerMinute: stored.rateLimitPerMinute }
    );
  }

  /** By id or by the key's visible prefix (`gpk_XXXXXXXX`); returns how many were revoked. */
  revoke(idOrPrefix: string): Promise<number> {
    return this.repository.revoke(idOrPrefix);
  }

  list(): Promise<StoredPartnerApp[]> {
    return this.repository.list();
  }
}
