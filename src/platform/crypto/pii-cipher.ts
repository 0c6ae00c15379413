import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { pooledRandomBytes } from './random-pool';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;

export interface PiiKeys {
  /** Encrypts everything new. */
  current: Buffer;
  /** Still able to decrypt, during a key rotation. */
  previous: Buffer[];
  /** Keys the mobile-number lookup HMAC. */
  lookup: Buffer;
}

/**
 * AES-256-GCM envelopes for complainants' personal data:
 * version(1) | keyId(4) | iv(12) | tag(16) | ciphertext. The key id lets a rotation
 * find the right key for old rows and re-encrypt them in batches.
 */
export class PiiCipher {
  private readonly byId = new Map<string, Buffer>();
  private readonly currentId: Buffer;

  constructor(private readonly keys: PiiKeys) {
    for (const key of [keys.current, ...keys.previous]) {
      if (key.length !== 32) throw new Error('PII encryption keys must be 32 bytes (AES-256)');
      this.byId.set(keyId(key).toString('hex'), key);
    }
    this.currentId = keyId(keys.current);
  }

  encrypt(value: unknown): Buffer {
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.current, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), this.currentId, iv, cipher.getAuthTag(), body]);
  }

  decrypt<T>(envelope: Uint8Array): T {
    const buf = Buffer.from(envelope);
    if (buf[0] !== VERSION) throw new Error(`Unknown PII envelope version ${buf[0]}`);
    const id = buf.subarray(1, 1 + KEY_ID_BYTES).toString('hex');
    const key = this.byId.get(id);
    if (!key) throw new Error(`No PII key with id ${id} is configured`);
    let offset = 1 + KEY_ID_BYTES;
    const iv = buf.subarray(offset, (offset += IV_BYTES));
    const tag = buf.subarray(offset, (offset += TAG_BYTES));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(buf.subarray(offset)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }

  /** Hex id of the key that wrote an envelope (key rotation re-encrypts the others). */
  static keyIdOf(envelope: Uint8Array): string {
    return Buffer.from(envelope)
      .subarray(1, 1 + KEY_ID_BYTES)
      .toString('hex');
  }

  get currentKeyId(): string {
    return this.currentId.toString('hex');
  }

  /** Decrypts under whichever configured key wrote it and encrypts under the current key. */
  reencrypt(envelope: Uint8Array): Buffer {
    return this.encrypt(this.decrypt(envelope));
  }

  /** Deterministic, keyed: finds a citizen's grievances by mobile without storing it in clear. */
  mobileLookup(mobile: string): string {
    return createHmac('sha256', this.keys.lookup).update(mobile).digest('hex');
  }

  /**
   * Deterministic, keyed, one space per purpose: a one-time code bound to its mobile, a rate
   * counter's subject. Without the lookup key a stolen table cannot be searched or guessed.
   */
  keyedHash(purpose: string, value: string): string {
    return createHmac('sha256', this.keys.lookup).update(`${purpose}\u0000${value}`).digest('hex');
  }

  /** Deterministic, keyed: who sent a request (its address), without storing the address. */
  callerLookup(caller: string): string {
    return createHmac('sha256', this.keys.lookup).update(`caller\u0000${caller}`).digest('hex');
  }
}

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
}
