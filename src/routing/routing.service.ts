import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { type RoutingDecision, type RoutingInput, routeGrievance } from './routing.rules';

@Injectable()
export class RoutingService {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  route(input: RoutingInput): RoutingDecision {
    return routeGrievance(input, {
      routing: this.config.routing,
      categories: this.config.categories,
    });
  }
}
