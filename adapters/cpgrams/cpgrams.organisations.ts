import { z } from 'zod';
import type { OutboundGrievance } from '../adapter';

/**
 * CPGRAMS organisation for grievances against a state government (no ministry), by LGD state
 * code: "GOV" + the state's two-letter code (GOVUP, GOVMH …). An assumption to confirm with
 * DARPG at onboarding; `options.stateOrgCodes` in config/portals.yaml overrides entries.
 */
export const STATE_ORG_CODES: Readonly<Record<string, string>> = {
  '01': 'GOVJK',
  '02': 'GOVHP',
  '03': 'GOVPB',
  '04': 'GOVCH',
  '05': 'GOVUK',
  '06': 'GOVHR',
  '07': 'GOVDL',
  '08': 'GOVRJ',
  '09': 'GOVUP',
  '10': 'GOVBR',
  '11': 'GOVSK',
  '12': 'GOVAR',
  '13': 'GOVNL',
  '14': 'GOVMN',
  '15': 'GOVMZ',
  '16': 'GOVTR',
  '17': 'GOVML',
  '18': 'GOVAS',
  '19': 'GOVWB',
  '20': 'GOVJH',
  '21': 'GOVOD',
  '22': 'GOVCG',
  '23': 'GOVMP',
  '24': 'GOVGJ',
  '27': 'GOVMH',
  '28': 'GOVAP',
  '29': 'GOVKA',
  '30': 'GOVGA',
  '31': 'GOVLD',
  '32': 'GOVKL',
  '33': 'GOVTN',
  '34': 'GOVPY',
  '35': 'GOVAN',
  '36': 'GOVTS',
  '37': 'GOVLA',
  '38': 'GOVDD',
};

export const cpgramsOptionsSchema = z.strictObject({
  stateOrgCodes: z
    .record(z.string().regex(/^\d{2}$/), z.string().regex(/^[A-Z]{2,10}$/))
    .default({}),
  /** Status changes asked for per page of the feed. */
  pageSize: z.number().int().min(1).max(500).default(100),
  /** Pages read in one fetchUpdates call before handing back the cursor. */
  maxPagesPerPoll: z.number().int().min(1).max(50).default(10),
});
export type CpgramsOptions = z.infer<typeof cpgramsOptionsSchema>;

/** The ministry's code for central grievances, else the state government's organisation. */
export function organisationCode(
  g: OutboundGrievance,
  options: CpgramsOptions,
): string | undefined {
  if (g.ministryCode) return g.ministryCode;
  return options.stateOrgCodes[g.location.stateCode] ?? STATE_ORG_CODES[g.location.stateCode];
}
