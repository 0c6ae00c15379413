import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import { retryOnDeadlock } from '../platform/database/deadlock';
import { NIL_UUID } from '../platform/database/keyset';
import { PrivacyRepository } from './privacy.repository';
import { DAY_MS } from '../platform/time';
import { IDEMPOTENCY_KEY_TTL_MS } from './retention';

const ERASE_BATCH = 5_000;
const ROTATE_BATCH = 1_000;

type Stale = { id: string; cipher: Uint8Array }[];

/** Retention (DPDP: keep personal data no longer than needed) and PII key rotation. */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: PrivacyRepository,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * Erases personal data of grievances closed more than PII_RETENTION_DAYS ago, in batches, and
   * deletes expired idempotency records, citizen sessions, codes and rate counters. Returns the
   * grievances erased.
   */
  async eraseExpired(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.env.piiRetentionDays * DAY_MS);
    let total = 0;
    for (let n = ERASE_BATCH; n === ERASE_BATCH; total += n) {
      // Seen in CI: the erasure statement lost a deadlock to another writer of the grievance.
      n = await retryOnDeadlock(() => this.repository.eraseClosedBefore(cutoff, ERASE_BATCH));
    }
    if (total > 0)
      this.logger.log({ erased: total, cutoff }, 'Personal data erased after retention');
    const keys = await this.repository.deleteIdempotencyKeysBefore(
      new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS),
    );
    if (keys > 0) this.logger.log({ deleted: keys }, 'Expired idempotency keys deleted');
    const citizen = await this.repository.deleteExpiredCitizenRows(
      now,
      new Date(now.getTime() - DAY_MS),
    );
    if (citizen > 0) this.logger.log({ deleted: citizen }, 'Expired citizen sessions deleted');
    return total;
  }

  /**
   * Re-encrypts every envelope not written under the current PII_ENCRYPTION_KEY (the old key
   * stays in PII_ENCRYPTION_PREVIOUS_KEYS until this has run). Resumable and safe to repeat.
   */
  async rotate(onBatch: (done: number) => void = () => undefined): Promise<number> {
    const keyId = this.cipher.currentKeyId;
    const complaints = await this.rotateTable(
      (after) => this.repository.staleEnvelopes(keyId, after, ROTATE_BATCH),
      (rows) => this.repository.replaceEnvelopes(rows),
      NIL_UUID,
      onBatch,
    );
    const responses = await this.rotateTable(
      (after) => this.repository.staleIdempotencyEnvelopes(keyId, after, ROTATE_BATCH),
      (rows) => this.repository.replaceIdempotencyEnvelopes(rows),
      NIL_UUID,
      onBatch,
    );
    return complaints + responses;
  }

  private async rotateTable(
    read: (after: string) => Promise<Stale>,
    write: (rows: { id: string; before: Uint8Array; after: Buffer }[]) => Promise<void>,
    start: string,
    onBatch: (done: number) => void,
  ): Promise<number> {
    let after = start;
    let done = 0;
    for (;;) {
      const rows = await read(after);
      if (rows.length === 0) return done;
      await write(
        rows.map((r) => ({ id: r.id, before: r.cipher, after: this.cipher.reencrypt(r.cipher) })),
      );
      done += rows.length;
      after = rows[rows.length - 1].id;
      onBatch(done);
    }
  }
}
