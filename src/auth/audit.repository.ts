import { Injectable } from '@nestjs/common';
import { prepared } from '../platform/database/prepared';
import { PrismaService } from '../platform/database/prisma.service';

export interface AuditRecord {
  apiKeyId: string | null;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  /** Made by the hub for this request (X-Request-Id of the answer). */
  requestId: string | null;
  /** The X-Request-Id the client sent, for its own correlation; not unique, not trusted. */
  clientRequestId: string | null;
}

// `at`: the column's default, the transaction's time.
const INSERT_ENTRY = prepared(`
  INSERT INTO audit_log (id, api_key_id, actor, role, action, target, outcome, detail, request_id,
    client_request_id)
  VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`);

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One entry; a prepared statement (every partner-app POST writes one), not Prisma's pipeline. */
  async insert(r: AuditRecord): Promise<void> {
    await this.prisma.sql(INSERT_ENTRY, [
      r.apiKeyId,
      r.actor,
      r.role,
      r.action,
      r.target,
      r.outcome,
      r.detail === null ? null : JSON.stringify(r.detail),
      r.requestId,
      r.clientRequestId,
    ]);
  }

  recent(limit: number) {
    return this.prisma.auditEntry.findMany({
      orderBy: { at: 'desc' },
      take: limit,
    });
  }
}
