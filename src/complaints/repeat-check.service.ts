import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import type { CapWindow, IntakeCheck, IntakeVerdict, RepeatProbe } from './repeat-check.repository';
import { istDate, istMonth, secondsUntil } from './repeat-check.rules';

export interface RepeatCheckInput extends RepeatProbe {
  primaryPortalCode: string;
  /** The citizen says this is not a repeat of an open grievance of theirs. */
  notARepeat: boolean;
  now: Date;
}

/** What intake's statement checks, and whether the grievance then waits for cluster linking. */
export interface RepeatPlan {
  check: IntakeCheck;
  /** Link it to other citizens' grievances after the commit (detection is on). */
  link: boolean;
  /** The primary portal's monthly cap, as a refusal names it (null: none). */
  cap: MonthlyCap | null;
}

/**
 * Intake's repeat step (docs/citizen.md#repeats): the portal's monthly cap per mobile and the
 * same mobile's open grievance saying the same thing (409 naming it). The intake statement runs
 * the check and stores nothing when it refuses (complaints.repository); this says what it checks
 * and what a refusal answers. The cluster of other citizens' grievances the new one joins is
 * linked after the commit (cluster-link.service), when `link` says so.
 */
@Injectable()
export class RepeatCheck {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  /** What the intake statement checks for this grievance. */
  plan(input: RepeatCheckInput): RepeatPlan {
    const settings = this.config.env.repeats;
    const cap = this.cap(input);
    return {
      check: {
        mobileLookup: input.mobileLookup,
        stateCode: input.stateCode,
        districtCode: input.districtCode,
        category: input.category,
        pincode: input.pincode,
        text: input.text,
        repeatSimilarity: settings.enabled && !input.notARepeat ? settings.similarity : null,
        // Written out: a spread followed by a property is V8's slow path (docs/benchmarks.md).
        cap: cap && {
          portalCode: cap.window.portalCode,
          since: cap.window.since,
          limit: cap.limit,
        },
      },
      link: settings.enabled,
      cap,
    };
  }

  /** The problem a refusal answers: 429 over the monthly cap, 409 naming the repeat. */
  problem(verdict: IntakeVerdict, plan: RepeatPlan): DomainError {
    if (verdict.refused === 'repeat' && verdict.repeat !== null)
      return repeatProblem(verdict.repeat);
    if (verdict.refused === 'monthly-cap' && plan.cap) return overCap(plan.cap);
    throw new Error(`Intake refused a grievance for no known reason (${verdict.refused})`);
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
}

function overCap(cap: MonthlyCap): DomainError {
  return new DomainError(
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

export interface MonthlyCap {
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
