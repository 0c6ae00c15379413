import { randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher';

const person = {
  name: 'Asha Verma',
  mobile: '9876543210',
  email: null,
  address: 'गोमती नगर, लखनऊ',
};

describe('PiiCipher', () => {
  const key = randomBytes(32);
  const lookup = randomBytes(32);
  const cipher = new PiiCipher({ current: key, previous: [], lookup });

  it('round-trips personal data, including Hindi text', () => {
    expect(cipher.decrypt(cipher.encrypt(person))).toEqual(person);
  });

  it('writes no plaintext and a fresh IV each time', () => {
    const a = cipher.encrypt(person);
    const b = cipher.encrypt(person);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('9876543210');
  });

  it('refuses a tampered envelope (GCM authentication)', () => {
    const envelope = cipher.encrypt(person);
    envelope[envelope.length - 1] ^= 1;
    expect(() => cipher.decrypt(envelope)).toThrow();
  });

  it('still reads data written under a previous key after rotation', () => {
    const rotated = new PiiCipher({ current: randomBytes(32), previous: [key], lookup });
    expect(rotated.decrypt(cipher.encrypt(person))).toEqual(person);
  });

  it('names the missing key when the envelope was written under an unknown one', () => {
    const stranger = new PiiCipher({ current: randomBytes(32), previous: [], lookup });
    expect(() => stranger.decrypt(cipher.encrypt(person))).toThrow(/No PII key with id/);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new PiiCipher({ current: randomBytes(16), previous: [], lookup })).toThrow(
      /32 bytes/,
    );
  });

  it('gives a stable lookup hash per mobile under one key and another under a different key', () => {
    expect(cipher.mobileLookup('9876543210')).toBe(cipher.mobileLookup('9876543210'));
    expect(cipher.mobileLookup('9876543210')).not.toBe(cipher.mobileLookup('9876543211'));
    const other = new PiiCipher({ current: key, previous: [], lookup: randomBytes(32) });
    expect(other.mobileLookup('9876543210')).not.toBe(cipher.mobileLookup('9876543210'));
  });
});

describe('PiiCipher key rotation', () => {
  const oldKey = randomBytes(32);
  const lookup = randomBytes(32);
  const before = new PiiCipher({ current: oldKey, previous: [], lookup });
  const newKey = randomBytes(32);
  const after = new PiiCipher({ current: newKey, previous: [oldKey], lookup });

  it('names the key that wrote an envelope and re-encrypts it under the current key', () => {
    const envelope = before.encrypt(person);
    expect(PiiCipher.keyIdOf(envelope)).toBe(before.currentKeyId);
    const rotated = after.reencrypt(envelope);
    expect(PiiCipher.keyIdOf(rotated)).toBe(after.currentKeyId);
    const newKeyOnly = new PiiCipher({ current: newKey, previous: [], lookup });
    expect(newKeyOnly.decrypt(rotated)).toEqual(person);
  });
});
