import { plainToInstance } from 'class-transformer';
import type { HubConfig } from '../../src/platform/config/hub-config';
import { PiiCipher } from '../../src/platform/crypto/pii-cipher';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { ComplaintsRepository } from '../../src/complaints/complaints.repository';
import { ComplaintsService, type LodgeResult } from '../../src/complaints/complaints.service';
import { CreateComplaintDto } from '../../src/complaints/dto/create-complaint.dto';
import { RepeatCheck } from '../../src/complaints/repeat-check.service';
import { RoutingService } from '../../src/routing/routing.service';
import { SlaService } from '../../src/sla/sla.service';
import { lucknowStreetlight } from '../support/fixtures';
import { useMedium } from '../support/medium';

/**
 * Two requests with one Idempotency-Key, the first committing between the second's replay
 * look-up and its intake statement (which runs the repeat check): the second must answer as the
 * first did, not refuse the first's own grievance as its repeat (409) or count it against the
 * monthly cap (429).
 */
describe('intake: a same-key request overtaken by the first one', () => {
  const medium = useMedium();
  let service: ComplaintsService;
  let repository: ComplaintsRepository;

  const build = (config: HubConfig) => {
    const env = config.env;
    const pii = new PiiCipher({
      current: Buffer.from(env.piiEncryptionKey!, 'base64'),
      previous: [],
      lookup: Buffer.from(env.piiLookupKey!, 'base64'),
    });
    repository = new ComplaintsRepository(medium.prisma);
    return new ComplaintsService(
      config,
      repository,
      new RoutingService(config),
      new SlaService(config),
      pii,
      new HubMetrics(),
      new RepeatCheck(config),
    );
  };
  const body = (mobile: string) =>
    plainToInstance(
      CreateComplaintDto,
      lucknowStreetlight({ complainant: { name: 'Asha Verma', mobile, language: 'hi' } }),
    );

  /**
   * Lodges `dto` twice under one key; the first lodge runs to its commit after the second's
   * replay look-up found nothing, right before the second's intake statement.
   */
  async function overtaken(dto: CreateComplaintDto, key: string) {
    const scope = { caller: '203.0.113.7', key };
    const insert = repository.insertLodged.bind(repository);
    let first: Promise<LodgeResult> | null = null;
    repository.insertLodged = async (...args) => {
      if (!first) {
        first = service.lodge(dto, scope, 'corr-first');
        await first;
      }
      return insert(...args);
    };
    try {
      const second = await service.lodge(dto, scope, 'corr-second');
      return { first: await first!, second };
    } finally {
      repository.insertLodged = insert;
    }
  }

  beforeAll(() => {
    const config = medium.config;
    service = build({
      ...config,
      env: { ...config.env, repeats: { ...config.env.repeats, enabled: true } },
      // Two grievances per mobile and month to any portal.
      portals: config.portals.map((p) => ({ ...p, monthlyCapPerMobile: 2 })),
    });
  });

  it('replays the first answer instead of 409 repeat-grievance', async () => {
    const { first, second } = await overtaken(body('9000000401'), 'race-key-repeat-1');
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(second).toEqual({ status: 201, body: first.body, replayed: true });
    const { rows } = await medium.prisma.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM complaints WHERE tracking_id = $1`,
      [first.body.trackingId],
    );
    expect(rows[0].n).toBe(1);
  });

  it('replays the first answer instead of 429 when the first took the last of the cap', async () => {
    // Not a repeat: only the cap can refuse it, and the race's first request takes its last place.
    const dto = body('9000000403');
    dto.notARepeat = true;
    await service.lodge(dto, null, 'corr-0');
    const { first, second } = await overtaken(dto, 'race-key-cap-1');
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(second).toEqual({ status: 201, body: first.body, replayed: true });
    await expect(
      service.lodge(dto, { caller: '203.0.113.7', key: 'race-key-cap-2' }, 'corr-3'),
    ).rejects.toMatchObject({ code: 'monthly-cap-reached', status: 429 });
  });
});
