import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import {
  RepeatCheckRepository,
  type CapWindow,
  type RepeatProbe,
  type TextKey,
} from './repeat-check.repository';
import { istDate, istMonth, secondsUntil } from './repeat-check.rules';

export interface RepeatCheckInput extends RepeatProbe {
  primaryPortalCode: string;
  /** The citizen says this is not a repeat of an open grievance of theirs. */
  notARepeat: boolean;
  now: Date;
}

/**
 * Intake's repeat step (docs/citizen.md#repeats): the portal's monthly cap per mobile and the
 * same mobile's open grievance saying the same thing (409 naming it). Runs before the intake
 * statement; nothing is written when it refuses. The cluster of other citizens' grievances the
 * new one joins is linked after the commit (cluster-link.service), when `link` says so.
 */
@Injectable()
export class RepeatCheck {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: RepeatCheckRepository,
  ) {}

  /**
   * Whether the new grievance waits for cluster linking (the check is on), and its text's key
   * and concepts for intake to store when the check computed them (null: the link job computes
   * them), or a 429 / 409 problem.
   */
  async check(input: RepeatCheckInput): Promise<{ link: boolean; text: TextKey | null }> {
    const cap = this.cap(input);
    const settings = this.config.env.repeats;
    // Detection off and no cap: nothing to read.
    if (!settings.enabled && !cap) return { link: false, text: null };
    // One statement: the cap's count and (detection on) the repeat.
    const found = await this.repository.check(
      input,
      { lookForRepeat: settings.enabled && !input.notARepeat, similarity: settings.similarity },
      cap?.window ?? null,
    );
    if (cap) this.refuseOverCap(found.lodged, cap);
    if (found.repeat !== null) throw repeatProblem(found.repeat);
    return settings.enabled ? { link: true, text: found.text } : { link: false, text: null };
  }

  /** The primary portal's monthly cap and the window it counts (null: the portal has none). */
  private cap(input: RepeatCheckInput): MonthlyCap | null {
    const limit = this.config.portals.find(
      (p) => p.code === input.primaryPortalCode,
    )?.monthlyCapPerMobile;
    if (!limit) return null;
    const month = istMonth(input.now);
    return {
      limit,
      next: month.next,
      now: input.now,
      window: { portalCode: input.primaryPortalCode, since: month.start },
    };
  }

  private refuseOverCap(lodged: number, cap: MonthlyCap): void {
    if (lodged < cap.limit) return;
    throw new DomainError(
      'monthly-cap-reached',
      429,
      'Too Many Requests',
      `${cap.window.portalCode} takes at most ${cap.limit} grievances per mobile number per month; ` +
        `the count starts again on ${istDate(cap.next)}.`,
      {
        headers: { 'Retry-After': String(secondsUntil(cap.next, cap.now)) },
        members: { resetsAt: cap.next.toISOString(), cap: cap.limit },
      },
    );
  }
}

interface MonthlyCap {
  limit: number;
  next: Date;
  now: Date;
  window: CapWindow;
}

function repeatProblem(trackingId: string): DomainError {
  return new DomainError(
    'repeat-grievance',
    409,
    'Conflict',
    `This looks like grievance ${trackingId}, still open: send a reminder on it instead, or ` +
      'lodge again with "notARepeat": true if it is a different problem.',
    {
      members: {
        existingTrackingId: trackingId,
        // With its access token, or with a citizen session of the mobile.
        reminder: {
          withAccessToken: `/api/v1/complaints/${trackingId}/reminders`,
          withCitizenSession: `/api/v1/citizen/grievances/${trackingId}/reminders`,
        },
      },
    },
  );
}
