import type { CanonicalStatus } from '../adapter';
import { createStatusMapper } from '../status-map';

/**
 * CPGRAMS native statuses (as its status-change feed writes them) → canonical. The only table
 * for this portal: an integrator who learns a new CPGRAMS status adds one line here.
 */
export const CPGRAMS_STATUS_TABLE = {
  Received: 'DELIVERED',
  'Under Examination': 'IN_PROGRESS',
  'Under Process': 'IN_PROGRESS',
  'Forwarded to Subordinate Organisation': 'IN_PROGRESS',
  'Interim Reply Given': 'IN_PROGRESS',
  // CPGRAMS forbids closing a grievance as "does not pertain" (since 2024): it must be
  // transferred to the right organisation, so every such status is a transfer, never a closure.
  'Transferred to other Ministry/State': 'TRANSFERRED',
  'Transferred to other Ministry/Department': 'TRANSFERRED',
  'Transferred to State Government': 'TRANSFERRED',
  'Does Not Pertain': 'TRANSFERRED',
  'Case Disposed': 'RESOLVED',
  Disposed: 'RESOLVED',
  // Disposed without redress for a stated reason (sub judice, RTI matter, suggestion).
  'Disposed as Not Actionable': 'REJECTED',
  Rejected: 'REJECTED',
  'Appeal Received': 'APPEALED',
  'Appeal Under Examination': 'APPEALED',
  'Appeal Disposed': 'RESOLVED',
  'Appeal Rejected': 'REJECTED',
  Reopened: 'IN_PROGRESS',
  Closed: 'CLOSED',
} as const satisfies Record<string, CanonicalStatus>;

export type CpgramsNativeStatus = keyof typeof CPGRAMS_STATUS_TABLE;

export const mapCpgramsStatus = createStatusMapper('cpgrams', CPGRAMS_STATUS_TABLE);
