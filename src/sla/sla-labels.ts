import { portalName, type HubConfig } from '../platform/config/hub-config';
import type { Dimension } from './sla-rollup.repository';

export interface Label {
  en: string;
  hi: string | null;
}

/** Human names of a group key, from config: portal, state, district (LGD), category. */
export function groupLabel(config: HubConfig, dim: Dimension | 'ageing', key: string): Label {
  const en = (name: string | undefined) => ({ en: name ?? key, hi: null });
  switch (dim) {
    case 'all':
      return { en: 'All portals', hi: 'सभी पोर्टल' };
    case 'portal':
    case 'portal_state':
      return { en: portalName(config, key), hi: null };
    case 'state':
      return en(config.jurisdictions.states.find((s) => s.code === key)?.name);
    case 'district':
      // Grievances without a district are keyed "-<state code>".
      if (key.startsWith('-')) return { en: '(district not given)', hi: '(ज़िला नहीं दिया)' };
      return en(config.jurisdictions.districts.find((d) => d.code === key)?.name);
    case 'ministry':
      if (key === '-')
        return { en: '(state subject: no ministry)', hi: '(राज्य विषय: कोई मंत्रालय नहीं)' };
      return en(config.ministries.find((m) => m.code === key)?.name);
    case 'ageing':
      return AGEING_LABELS[key] ?? en(undefined);
    case 'category': {
      const category = config.categories.find((c) => c.code === key);
      return category ? category.label : en(undefined);
    }
  }
}

/** Ageing buckets of open grievances, days since received (groupBy=ageing). */
export const AGEING_BUCKETS = [
  { key: '0-7', from: 0, to: 7 },
  { key: '8-21', from: 8, to: 21 },
  { key: '22-30', from: 22, to: 30 },
  { key: '31+', from: 31, to: null },
] as const;

const AGEING_LABELS: Record<string, Label> = {
  '0-7': { en: '0–7 days', hi: '0–7 दिन' },
  '8-21': { en: '8–21 days', hi: '8–21 दिन' },
  '22-30': { en: '22–30 days', hi: '22–30 दिन' },
  '31+': { en: 'over 30 days', hi: '30 दिन से अधिक' },
};
