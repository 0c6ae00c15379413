import { CANONICAL_STATUSES, UnknownNativeStatusError } from '../adapter';
import { HUB_ONLY_STATUSES } from '../status-map';
import { CPGRAMS_STATUS_TABLE, mapCpgramsStatus } from './cpgrams.status-map';

describe('CPGRAMS status table', () => {
  it.each(Object.entries(CPGRAMS_STATUS_TABLE))('"%s" → %s', (native, canonical) => {
    expect(mapCpgramsStatus(native)).toBe(canonical);
    expect(CANONICAL_STATUSES).toContain(canonical);
    expect(HUB_ONLY_STATUSES).not.toContain(canonical);
  });

  it('ignores case and extra spaces', () => {
    expect(mapCpgramsStatus('  case   DISPOSED ')).toBe('RESOLVED');
  });

  it('treats "does not pertain" as a transfer, never a closure', () => {
    expect(mapCpgramsStatus('Does Not Pertain')).toBe('TRANSFERRED');
  });

  it.each(['Parked', '', 'Disposed!'])('unknown "%s" → UnknownNativeStatusError', (native) => {
    expect(() => mapCpgramsStatus(native)).toThrow(UnknownNativeStatusError);
  });
});
