import { portalName, type HubConfig } from '../platform/config/hub-config';
import type { Dimension } from './sla-rollup.repository';

export interface Label {
  en: string;
  hi: string | null;
}

/** Human names of a group key, from config: portal, state, district (LGD), category. */
export function groupLabel(config: HubConfig, dim: Dimension, key: string): Label {
  const en = (name: string | undefined) => ({ en: name ?? key, hi: null });
  switch (dim) {
    case 'all':
      return { en: 'All portals', hi: 'सभी पोर्टल' };
    case 'portal':
      return { en: portalName(config, key), hi: null };
    case 'state':
      return en(config.jurisdictions.states.find((s) => s.code === key)?.name);
    case 'district':
      // Grievances without a district are keyed "-<state code>".
      if (key.startsWith('-')) return { en: '(district not given)', hi: '(ज़िला नहीं दिया)' };
      return en(config.jurisdictions.districts.find((d) => d.code === key)?.name);
    case 'category': {
      const category = config.categories.find((c) => c.code === key);
      return category ? category.label : en(undefined);
    }
  }
}
