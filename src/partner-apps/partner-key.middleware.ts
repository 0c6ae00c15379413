import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PartnerAppsService } from './partner-apps.service';
import { partnerKeyOf, type MiddlewareRequest } from './partner-key';

/**
 * Runs before the throttler guard, so that a partner app is counted against its own limit. It
 * only identifies: each route decides what a refused key means (Open311 403, native 401).
 */
@Injectable()
export class PartnerKeyMiddleware implements NestMiddleware {
  constructor(private readonly apps: PartnerAppsService) {}

  async use(req: MiddlewareRequest, _res: ServerResponse, next: () => void): Promise<void> {
    // A throw (database down) reaches the global problem+json filter through Nest's proxy.
    const key = partnerKeyOf(req);
    if (key) {
      const app = await this.apps.authenticate(key);
      if (app) req.partnerApp = app;
      else req.partnerKeyRefused = true;
    }
    next();
  }
}
