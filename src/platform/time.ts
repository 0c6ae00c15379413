/** A calendar day in milliseconds (UTC arithmetic; IST has no daylight saving to skew it). */
export const DAY_MS = 86_400_000;
