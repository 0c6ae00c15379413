import { TEST_CONFIG_DIR } from '../../test/support/config-dir';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../platform/config/config.module';
import { loadHubConfig } from '../platform/config/load-config';
import { RoutingModule } from './routing.module';
import { RoutingService } from './routing.service';

describe('RoutingService with config/', () => {
  let routing: RoutingService;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(
          loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { NODE_ENV: 'development' } }),
        ),
        RoutingModule,
      ],
    }).compile();
    routing = moduleRef.get(RoutingService);
  });

  it.each([
    [
      'Lucknow streetlights → UP IGRS',
      { stateCode: '09', districtCode: '162', category: 'MUNICIPAL_SERVICES', ministryCode: null },
      'UP-IGRS',
      null,
      'uttar-pradesh',
    ],
    [
      'Maharashtra water → Aaple Sarkar',
      { stateCode: '27', districtCode: '490', category: 'WATER_SUPPLY', ministryCode: null },
      'MH-AAPLESARKAR',
      null,
      'maharashtra',
    ],
    [
      'Bihar police → CPGRAMS (state organisation)',
      { stateCode: '10', districtCode: null, category: 'POLICE', ministryCode: null },
      'CPGRAMS',
      null,
      'builtin:no-state-portal',
    ],
    [
      'UP railways → CPGRAMS / MORLY',
      { stateCode: '09', districtCode: '162', category: 'RAILWAYS', ministryCode: null },
      'CPGRAMS',
      'MORLY',
      'builtin:central-category',
    ],
  ])('%s', (_name, input, primary, ministryCode, rule) => {
    expect(routing.route(input)).toEqual({ primary, mirrors: [], ministryCode, rule });
  });
});
