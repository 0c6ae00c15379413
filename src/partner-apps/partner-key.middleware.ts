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
    const key = partnerKeyOf(req);
    // Once per request: Open311's routes overlap (a named route and the catch-all both match),
    // and Nest runs a middleware once per matching route path.
    const settled = req.partnerApp || req.partnerKeyRefused || req.partnerKeyFailure;
    if (key && !settled) {
      try {
        const app = await this.apps.authenticate(key);
        if (app) req.partnerApp = app;
        else req.partnerKeyRefused = true;
      } catch (error) {
        // The database away: raised by partnerOf in the route, answered in the route's format.
        req.partnerKeyFailure = { error };
      }
    }
    next();
  }
}
