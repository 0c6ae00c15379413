import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import { RepeatCheckRepository, type RepeatProbe, type TextKey } from './repeat-check.repository';
import { istDate, istMonth, secondsUntil } from './repeat-check.rules';

export interface RepeatCheckInput extends RepeatProbe {
  primaryPortalCode: string;
  /** The citizen says this is not a repeat of an open grievance of theirs. */
  notARepeat: boolean;
  now: Date;
}

/**
 * Intake's repeat step (docs/citizen.md#repeats): the portal's monthly cap per mobile, the same
 * mobile's open grievance saying the same thing (409 naming it), and the cluster of other
 * citizens' grievances about the same problem the new one joins. Runs before the intake
 * statement; nothing is written when it refuses.
 */
@Injectable()
export class RepeatCheck {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: RepeatCheckRepository,
  ) {}

  /**
   * The cluster the new grievance joins (null: none) and its text's key and concepts for intake
   * to store (null when the check is off: nothing computed, the row's key stays empty and a later
   * check computes it), or a 429 / 409 problem.
   */
  async check(
    input: RepeatCheckInput,
  ): Promise<{ clusterId: string | null; text: TextKey | null }> {
    await this.monthlyCap(input);
    const settings = this.config.env.repeats;
    if (!settings.enabled) return { clusterId: null, text: null };
    const found = await this.repository.check(input, {
      lookForRepeat: !input.notARepeat,
      similarity: settings.similarity,
      clusterSimilarity: settings.clusterSimilarity,
      clusterWindowMs: settings.clusterWindowMs,
    });
    if (found.repeat !== null) throw repeatProblem(found.repeat);
    return {
      clusterId: found.clusterId,
      text: { textKey: found.textKey, concepts: found.concepts },
    };
  }

  private async monthlyCap(input: RepeatCheckInput): Promise<void> {
    const cap = this.config.portals.find(
      (p) => p.code === input.primaryPortalCode,
    )?.monthlyCapPerMobile;
    if (!cap) return;
    const month = istMonth(input.now);
    const lodged = await this.repository.countSince(
      input.mobileLookup,
      input.primaryPortalCode,
      month.start,
    );
    if (lodged < cap) return;
    throw new DomainError(
      'monthly-cap-reached',
      429,
      'Too Many Requests',
      `${input.primaryPortalCode} takes at most ${cap} grievances per mobile number per month; ` +
        `the count starts again on ${istDate(month.next)}.`,
      {
        headers: { 'Retry-After': String(secondsUntil(month.next, input.now)) },
        members: { resetsAt: month.next.toISOString(), cap },
      },
    );
  }
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
