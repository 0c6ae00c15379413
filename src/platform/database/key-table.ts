import { hashToken, newAccessToken } from '../crypto/tokens';
import type { QueryResultRow } from 'pg';
import { prepared, type Prepared } from './prepared';
import type { PrismaService } from './prisma.service';

/** What every table of keys has beside its own fields. */
export interface KeyRow {
  id: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** The calls a key table makes on its Prisma model (its rows are read through `select`). */
interface KeyModel {
  create(args: { data: object; select: object }): Promise<unknown>;
  updateMany(args: { where: object; data: object }): Promise<{ count: number }>;
  findMany(args: { select: object; orderBy: object }): Promise<unknown>;
}

export interface KeyTableSpec<Row extends KeyRow> {
  /** Starts every key of this table, and its visible prefix (`ghk_XXXXXXXX`). */
  keyPrefix: string;
  /** Its Prisma model, and the model's table. */
  model: 'apiKey' | 'partnerApp';
  table: 'api_keys' | 'partner_apps';
  /** The columns callers may see: never `keyHash`. */
  select: { [K in keyof Row]: true };
}

const TOUCH_EVERY_MS = 60_000;
const MAX_KEY_LENGTH = 100;

/**
 * A table of keys shown once (256 random bits after a prefix naming the table) and kept only as
 * their SHA-256: staff API keys (src/auth), partner apps (src/partner-apps). The feature's
 * repository extends it with its own row and fields.
 */
export class KeyTable<Row extends KeyRow, Fields extends object> {
  private readonly model: KeyModel;
  /** The active row of a key's hash: run by every keyed request, so a prepared statement. */
  private readonly byHash: Prepared;

  constructor(
    private readonly prisma: PrismaService,
    private readonly spec: KeyTableSpec<Row>,
  ) {
    // The two models' generic signatures differ in their argument types only; the calls below
    // use the fields every key table has, and `select`, typed by Row.
    this.model = prisma[spec.model] as unknown as KeyModel;
    const columns = Object.keys(spec.select).map((field) => `${columnOf(field)} AS "${field}"`);
    this.byHash = prepared(
      `SELECT ${columns.join(', ')} FROM ${spec.table} WHERE key_hash = $1 AND revoked_at IS NULL`,
    );
  }

  /** A new key with these fields; the key itself is in the answer only. */
  async issue(fields: Fields): Promise<{ key: string; stored: Row }> {
    const secret = newAccessToken();
    const key = `${this.spec.keyPrefix}${secret}`;
    const data = {
      ...fields,
      keyHash: hashToken(key),
      prefix: `${this.spec.keyPrefix}${secret.slice(0, 8)}`,
    };
    const stored = (await this.model.create({ data, select: this.spec.select })) as Row;
    return { key, stored };
  }

  /**
   * The active row a key belongs to, or null. Use is recorded at most once a minute per key,
   * decided from the row just read: a busy caller costs one statement per request, not two.
   */
  async authenticate(key: string): Promise<Row | null> {
    if (!key.startsWith(this.spec.keyPrefix) || key.length > MAX_KEY_LENGTH) return null;
    const { rows } = await this.prisma.sql<Row & QueryResultRow>(this.byHash, [hashToken(key)]);
    const stored = rows[0];
    if (!stored) return null;
    const now = new Date();
    if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
      await this.touch(stored.id, now);
    return stored;
  }

  /** By id or by the key's visible prefix; returns how many were revoked. */
  async revoke(idOrPrefix: string): Promise<number> {
    const { count } = await this.model.updateMany({
      where: {
        revokedAt: null,
        OR: [{ prefix: idOrPrefix }, ...(isUuid(idOrPrefix) ? [{ id: idOrPrefix }] : [])],
      },
      data: { revokedAt: new Date() },
    });
    return count;
  }

  async list(): Promise<Row[]> {
    return (await this.model.findMany({
      select: this.spec.select,
      orderBy: { createdAt: 'asc' },
    })) as Row[];
  }

  /** Concurrent requests may both write, which is harmless. */
  private async touch(id: string, at: Date): Promise<void> {
    await this.model.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] },
      data: { lastUsedAt: at },
    });
  }
}

/** A selected field's column: the schema maps each camelCase field to its snake_case column. */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
