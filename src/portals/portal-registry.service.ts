import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import type { PortalAdapter } from '../../adapters/adapter';
import { createAdapter } from '../../adapters/registry';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig, PortalConfig } from '../platform/config/hub-config';

export interface Portal {
  config: PortalConfig;
  adapter: PortalAdapter;
}

/** Every configured portal with its adapter, created once at start from config/portals.yaml. */
@Injectable()
export class PortalRegistry {
  private readonly portals = new Map<string, Portal>();

  constructor(@InjectConfig() config: HubConfig, http: HttpService) {
    for (const portal of config.portals) {
      this.portals.set(portal.code, {
        config: portal,
        adapter: createAdapter(portal, { http: http.axiosRef }),
      });
    }
  }

  /** Undefined for a code no longer configured (older grievances keep theirs). */
  find(code: string): Portal | undefined {
    return this.portals.get(code);
  }

  get(code: string): Portal {
    const portal = this.portals.get(code);
    if (!portal) throw new Error(`Portal ${code} is not configured (config/portals.yaml)`);
    return portal;
  }

  all(): Portal[] {
    return [...this.portals.values()];
  }
}
