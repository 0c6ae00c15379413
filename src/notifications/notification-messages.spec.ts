import type { NotificationKind } from './notification-kind';
import { composeMessage } from './notification-messages';

const kinds: NotificationKind[] = [
  'registered',
  'transferred',
  'resolved',
  'rejected',
  'appeal-resolved',
  'appeal-rejected',
  'appeal-closed',
];

describe('composeMessage', () => {
  it.each(kinds.map((k) => [k]))(
    '%s names the grievance and the portal, nothing personal',
    (kind) => {
      const m = composeMessage(kind, { trackingId: 'ONOP-7KQ2-M9XD-4TPA', portalName: 'UP IGRS' });
      for (const text of [m.subject, m.text, m.sms]) expect(text).toContain('ONOP-7KQ2-M9XD-4TPA');
      expect(m.text).toContain('UP IGRS');
      expect(m.text.startsWith('Dear citizen')).toBe(true);
      expect(m.sms.length).toBeLessThanOrEqual(160);
      expect(m.text).not.toMatch(/\n\n\n/);
    },
  );
});
