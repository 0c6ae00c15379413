import { Injectable } from '@nestjs/common';
import { hashToken, newAccessToken } from '../platform/crypto/tokens';
import { DomainError } from '../platform/errors/domain-error';
import { CitizenSessionsRepository } from './citizen-sessions.repository';

/** How long a citizen session lasts: long enough to read and act, short if a phone is lost. */
export const CITIZEN_SESSION_TTL_MS = 30 * 60_000;

/** Whose session a request carries: the keyed hash of the verified mobile, never the number. */
export interface CitizenPrincipal {
  mobileLookup: string;
}

/**
 * Citizen sessions (after a one-time code, src/citizen): a 256-bit bearer token, stored as its
 * hash, bound to the mobile's keyed hash. Owned here because intake (complaints) reads them
 * too, and auth sits beneath both.
 */
@Injectable()
export class CitizenSessions {
  constructor(private readonly repository: CitizenSessionsRepository) {}

  async open(mobileLookup: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = newAccessToken();
    const expiresAt = new Date(now.getTime() + CITIZEN_SESSION_TTL_MS);
    await this.repository.insert({ tokenHash: hashToken(token), mobileLookup, expiresAt });
    return { token, expiresAt };
  }

  /** The session's principal; 401 for a missing, unknown or expired token (indistinguishable). */
  async require(token: string | undefined): Promise<CitizenPrincipal> {
    const mobileLookup = token
      ? await this.repository.findLive(hashToken(token), new Date())
      : null;
    if (!mobileLookup) {
      throw new DomainError(
        'citizen-session-required',
        401,
        'Unauthorized',
        'A valid citizen session is required (X-Citizen-Token): ask for a one-time code first.',
      );
    }
    return { mobileLookup };
  }
}
