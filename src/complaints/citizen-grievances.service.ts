import { Injectable } from '@nestjs/common';
import { portalName, type HubConfig } from '../platform/config/hub-config';
import { InjectConfig } from '../platform/config/config.module';
import type { CitizenPrincipal } from '../auth/citizen-sessions.service';
import { hashToken, newAccessToken } from '../platform/crypto/tokens';
import { NotFoundError } from '../platform/errors/domain-error';
import { PortalRegistry } from '../portals/portal-registry.service';
import { SlaService } from '../sla/sla.service';
import { allowedActions } from './citizen-actions.rules';
import {
  CitizenGrievancesRepository,
  type CitizenGrievanceRow,
} from './citizen-grievances.repository';
import type { CitizenGrievanceDto, ReissuedAccessTokenDto } from './dto/citizen-grievances.dto';

/** A citizen's own grievances, found by the session's mobile (keyed hash), on every portal. */
@Injectable()
export class CitizenGrievancesService {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: CitizenGrievancesRepository,
    private readonly portals: PortalRegistry,
    private readonly sla: SlaService,
  ) {}

  async list(principal: CitizenPrincipal): Promise<CitizenGrievanceDto[]> {
    const rows = await this.repository.listByMobile(principal.mobileLookup);
    const now = new Date();
    return rows.map((row) => this.view(row, now));
  }

  /** A new access token for the mobile's grievance; the old one stops working. */
  async reissueAccessToken(
    principal: CitizenPrincipal,
    trackingId: string,
  ): Promise<ReissuedAccessTokenDto> {
    const accessToken = newAccessToken();
    const replaced = await this.repository.replaceAccessToken(
      trackingId,
      principal.mobileLookup,
      hashToken(accessToken),
    );
    // Another mobile's grievance and an unknown id are indistinguishable on purpose.
    if (!replaced) throw new NotFoundError('Complaint');
    return { trackingId, accessToken };
  }

  private view(row: CitizenGrievanceRow, now: Date): CitizenGrievanceDto {
    const { adapter } = this.portals.get(row.primaryPortalCode);
    const outcomeAt = row.resolvedAt ?? row.closedAt;
    return {
      trackingId: row.trackingId,
      subject: row.subject,
      category: row.category,
      status: row.status,
      portal: { code: row.primaryPortalCode, name: portalName(this.config, row.primaryPortalCode) },
      reference: row.externalRef,
      slaDueAt: row.slaDueAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      mobileVerified: row.mobileVerified,
      othersReported: row.othersReported,
      allowedActions: allowedActions(row, {
        now,
        lastReminderAt: row.lastReminderAt,
        appealWindowEndsAt: outcomeAt
          ? this.sla.appealWindowEndsAt(row.primaryPortalCode, row.category, outcomeAt)
          : null,
        portal: {
          registered: row.externalRef !== null,
          reminders: Boolean(adapter.sendReminder),
          appeals: Boolean(adapter.submitAppeal),
        },
      }),
    };
  }
}
