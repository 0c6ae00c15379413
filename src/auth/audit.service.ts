import { Injectable } from '@nestjs/common';
import { AuditRepository, type AuditRecord } from './audit.repository';
import type { StaffPrincipal } from './staff-principal';

/** The audit trail of staff actions. Entries name the key, never a citizen's personal data. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  record(
    who: StaffPrincipal | null,
    entry: Omit<AuditRecord, 'apiKeyId' | 'actor' | 'role'>,
  ): Promise<void> {
    return this.repository.insert({
      apiKeyId: who?.keyId ?? null,
      actor: who?.name ?? 'anonymous',
      role: who?.role ?? null,
      ...entry,
    });
  }

  /** An entry made by a partner app's request (src/partner-apps): the app, not a staff key. */
  recordPartnerApp(
    app: { id: string; name: string } | null,
    entry: Omit<AuditRecord, 'apiKeyId' | 'actor' | 'role'>,
  ): Promise<void> {
    return this.repository.insert({
      apiKeyId: null,
      actor: app ? `partner-app ${app.name} (${app.id})` : 'anonymous',
      role: app ? 'partner-app' : null,
      ...entry,
    });
  }

  recent(limit: number) {
    return this.repository.recent(limit);
  }
}
