import type { CitizenPrincipal } from '../auth/citizen-sessions.service';
import { tokenMatches } from '../platform/crypto/tokens';

/**
 * How a citizen shows a grievance is theirs: the access token it was lodged with (a string, or
 * undefined when none was sent), or a session of the mobile it was lodged with (src/citizen).
 */
export type CitizenProof = string | undefined | CitizenPrincipal;

export function provesOwnership(
  proof: CitizenProof,
  complaint: { accessTokenHash: string; mobileLookup: string | null },
): boolean {
  if (proof === undefined) return false;
  if (typeof proof === 'string') return tokenMatches(proof, complaint.accessTokenHash);
  // Erased grievances have no mobile lookup left: a session no longer reaches them.
  return complaint.mobileLookup !== null && complaint.mobileLookup === proof.mobileLookup;
}
