import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { HubConfig } from './hub-config';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** Injects the validated HubConfig: `constructor(@InjectConfig() config: HubConfig)`. */
export const InjectConfig = () => Inject(HUB_CONFIG);

/** Config is loaded (and validated) before Nest starts, so the app never boots on a bad one. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }],
      exports: [HUB_CONFIG],
    };
  }
}
