import { createHash } from 'node:crypto';
import { ApiKeysRepository } from '../../src/auth/api-keys.repository';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { PartnerAppsRepository } from '../../src/partner-apps/partner-apps.repository';
import { PartnerAppsService } from '../../src/partner-apps/partner-apps.service';
import type { PrismaService } from '../../src/platform/database/prisma.service';
import { useMedium } from '../support/medium';

/**
 * Medium tier: the two tables of keys shown once and kept as their SHA-256 (staff API keys,
 * partner apps) behave alike: issue, authenticate (recording use at most once a minute), revoke
 * by id or visible prefix, list.
 */
interface KeyTableCase {
  table: 'api_keys' | 'partner_apps';
  prefix: string;
  open(prisma: PrismaService): {
    create(name: string): Promise<{ key: string; stored: { id: string; prefix: string } }>;
    authenticate(key: string): Promise<{ name: string } | null>;
    revoke(idOrPrefix: string): Promise<number>;
    list(): Promise<Record<string, unknown>[]>;
  };
}

const CASES: KeyTableCase[] = [
  {
    table: 'api_keys',
    prefix: 'ghk_',
    open: (prisma) => {
      const service = new ApiKeysService(new ApiKeysRepository(prisma));
      return {
        create: (name) => service.create(name, 'staff'),
        authenticate: (key) => service.authenticate(key),
        revoke: (idOrPrefix) => service.revoke(idOrPrefix),
        list: () => service.list() as unknown as Promise<Record<string, unknown>[]>,
      };
    },
  },
  {
    table: 'partner_apps',
    prefix: 'gpk_',
    open: (prisma) => {
      const service = new PartnerAppsService(new PartnerAppsRepository(prisma));
      return {
        create: (name) =>
          service.create({ name, rateLimitPerMinute: 60, consentDeclaration: 'We file for you.' }),
        authenticate: (key) => service.authenticate(key),
        revoke: (idOrPrefix) => service.revoke(idOrPrefix),
        list: () => service.list() as unknown as Promise<Record<string, unknown>[]>,
      };
    },
  },
];

describe.each(CASES)('key table $table', ({ table, prefix, open }) => {
  const medium = useMedium();
  let keys: ReturnType<KeyTableCase['open']>;
  beforeAll(() => {
    keys = open(medium.prisma);
  });
  beforeEach(() => medium.prisma.$executeRawUnsafe(`DELETE FROM ${table}`));

  const row = async (id: string) => {
    const [found] = await medium.prisma.$queryRawUnsafe<
      { keyHash: string; lastUsedAt: Date | null; revokedAt: Date | null }[]
    >(
      `SELECT key_hash AS "keyHash", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM ${table} WHERE id = $1::uuid`,
      id,
    );
    return found;
  };
  const setLastUsed = (id: string, at: Date) =>
    medium.prisma.$executeRawUnsafe(
      `UPDATE ${table} SET last_used_at = $1 WHERE id = $2::uuid`,
      at,
      id,
    );

  it('issues a key shown once: only its SHA-256 is kept, its prefix is visible', async () => {
    const { key, stored } = await keys.create('Lucknow desk');
    expect(key.startsWith(prefix)).toBe(true);
    expect(stored.prefix).toBe(key.slice(0, prefix.length + 8));
    expect((await row(stored.id)).keyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(await keys.list())).not.toContain(key.slice(prefix.length + 8));
  });

  it('authenticates its own keys only, recording use at most once a minute', async () => {
    const { key, stored } = await keys.create('Lucknow desk');
    expect(await keys.authenticate(key)).toEqual(expect.objectContaining({ name: 'Lucknow desk' }));
    const first = (await row(stored.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);

    // Used again within the minute: the row is not written.
    const recent = new Date(Date.now() - 30_000);
    await setLastUsed(stored.id, recent);
    await keys.authenticate(key);
    expect((await row(stored.id)).lastUsedAt).toEqual(recent);

    // A minute or more later: written again.
    const old = new Date(Date.now() - 61_000);
    await setLastUsed(stored.id, old);
    await keys.authenticate(key);
    expect((await row(stored.id)).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime());

    const other = prefix === 'ghk_' ? 'gpk_' : 'ghk_';
    for (const wrong of [`${key}x`, other + key.slice(4), `${key}${'a'.repeat(100)}`, ''])
      expect(await keys.authenticate(wrong)).toBeNull();
  });

  it('revokes by id or by visible prefix; a revoked key no longer authenticates', async () => {
    const a = await keys.create('first');
    const b = await keys.create('second');
    expect(await keys.revoke(a.stored.prefix)).toBe(1);
    expect(await keys.revoke(a.stored.prefix)).toBe(0); // already revoked
    expect(await keys.revoke(b.stored.id)).toBe(1);
    expect(await keys.revoke('not-a-key')).toBe(0);
    expect(await keys.authenticate(a.key)).toBeNull();
    expect(await keys.authenticate(b.key)).toBeNull();
    expect((await row(a.stored.id)).lastUsedAt).toBeNull();
    expect((await row(b.stored.id)).revokedAt).toBeInstanceOf(Date);
  });

  it('lists every key, oldest first, revoked ones marked, without the hash', async () => {
    const a = await keys.create('first');
    const b = await keys.create('second');
    await keys.revoke(a.stored.id);
    // By when created, not by when inserted.
    await medium.prisma.$executeRawUnsafe(
      `UPDATE ${table} SET created_at = created_at - interval '1 day' WHERE id = $1::uuid`,
      b.stored.id,
    );
    const listed = await keys.list();
    expect(listed.map((k) => [k.id, k.name, k.revokedAt instanceof Date])).toEqual([
      [b.stored.id, 'second', false],
      [a.stored.id, 'first', true],
    ]);
    for (const k of listed) expect(Object.keys(k)).not.toContain('keyHash');
  });
});
