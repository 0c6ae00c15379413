import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { startTestHub, type TestHub } from '../support/test-hub';

describe('staff API keys: last use', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  const lastUsed = async (id: string) =>
    (await hub.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
  const call = (key: string) =>
    request(hub.url).get('/api/v1/staff/portals').set('Authorization', `Bearer ${key}`).expect(200);

  it('records when a key was last used, at most once a minute', async () => {
    const { key, stored } = await hub.app.get(ApiKeysService).create('Meera', 'staff');
    expect(await lastUsed(stored.id)).toBeNull();

    await call(key);
    const first = await lastUsed(stored.id);
    expect(first).toBeInstanceOf(Date);

    // Within the minute: no new write.
    await call(key);
    expect(await lastUsed(stored.id)).toEqual(first);

    // A minute later (moved back in time here), the next request records it again.
    const aMinuteAgo = new Date(first!.getTime() - 61_000);
    await hub.prisma.apiKey.update({ where: { id: stored.id }, data: { lastUsedAt: aMinuteAgo } });
    await call(key);
    expect((await lastUsed(stored.id))!.getTime()).toBeGreaterThan(aMinuteAgo.getTime());
  });

  it('refuses a revoked key without recording its use', async () => {
    const keys = hub.app.get(ApiKeysService);
    const { key, stored } = await keys.create('Ravi', 'staff');
    expect(await keys.revoke(stored.id)).toBe(1);
    await request(hub.url)
      .get('/api/v1/staff/portals')
      .set('Authorization', `Bearer ${key}`)
      .expect(401);
    expect(await lastUsed(stored.id)).toBeNull();
  });
});
