import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { deadline, redressalDays } from './sla-policy';

@Injectable()
export class SlaService {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  /** When the responsible portal must have redressed a grievance received at `from`. */
  dueAt(portalCode: string, category: string, from: Date): Date {
    return deadline(from, redressalDays(this.config.sla, portalCode, category));
  }
}
