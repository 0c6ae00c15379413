import { Injectable } from '@nestjs/common';
import { ApiKeysRepository, type StoredApiKey } from './api-keys.repository';
import type { StaffPrincipal, StaffRole } from './staff-principal';

/** Staff API keys: 256 random bits, shown once; only their SHA-256 is stored (KeyTable). */
@Injectable()
export class ApiKeysService {
  constructor(private readonly repository: ApiKeysRepository) {}

  create(name: string, role: StaffRole): Promise<{ key: string; stored: StoredApiKey }> {
    return this.repository.issue({ name, role });
  }

  async authenticate(key: string): Promise<StaffPrincipal | null> {
    const stored = await this.repository.authenticate(key);
    return stored && { keyId: stored.id, name: stored.name, role: stored.role };
  }

  /** By id or by the key's visible prefix (`ghk_XXXXXXXX`); returns how many were revoked. */
  revoke(idOrPrefix: string): Promise<number> {
    return this.repository.revoke(idOrPrefix);
  }

  list(): Promise<StoredApiKey[]> {
    return this.repository.list();
  }
}
