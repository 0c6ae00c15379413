import {
  type PortalSignatureInput,
  type PortalSignatureResult,
  signPortalPayload,
  verifyPortalSignature,
} from './push-signature';

const secret = 'portal-secret';
const ts = 1_700_000_000;
const body = Buffer.from('{"eventId":"e1"}');
const now = ts * 1000;
const good = signPortalPayload(secret, ts, body);
const hex = good.slice('sha256='.length);

const input = (over: Partial<PortalSignatureInput> = {}): PortalSignatureInput => ({
  secrets: [secret],
  timestampHeader: String(ts),
  signatureHeader: good,
  rawBody: body,
  nowMs: now,
  ...over,
});
const ok: PortalSignatureResult = { ok: true, secretIndex: 0 };
const prev: PortalSignatureResult = { ok: true, secretIndex: 1 };
const fail = (reason: string) => ({ ok: false, reason });
const [missing, badTs, stale, badSig] = [
  'missing-headers',
  'bad-timestamp',
  'stale-timestamp',
  'bad-signature',
].map(fail);

describe('signPortalPayload', () => {
  it('matches an independently computed HMAC (openssl dgst -sha256 -hmac)', () => {
    expect(good).toBe('sha256=c68396ffeada97fee0fa5d8c09b7837b1ec03261b47f63c21fa0dd38b1f17fd5');
  });

  it('signs a string body the same as its UTF-8 bytes', () => {
    expect(signPortalPayload(secret, ts, '{"eventId":"e1"}')).toBe(good);
  });

  it.each([1.5, -1, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses timestamp %s', (bad) => {
    expect(() => signPortalPayload(secret, bad, body)).toThrow(RangeError);
  });
});

describe('verifyPortalSignature', () => {
  const flipped = Buffer.from(body);
  flipped[3] ^= 0x01;
  const garbage = 'sha256=' + 'f'.repeat(1_000_000);

  const rows: [string, Partial<PortalSignatureInput>, object][] = [
    ['valid', {}, ok],
    ['valid with the default clock', { nowMs: undefined, ...fresh() }, ok],
    ['uppercase hex accepted', { signatureHeader: `sha256=${hex.toUpperCase()}` }, ok],
    ['299 s old', { nowMs: now + 299_000 }, ok],
    ['299 s ahead', { nowMs: now - 299_000 }, ok],
    ['exactly 300 s old', { nowMs: now + 300_000 }, ok],
    ['301 s old', { nowMs: now + 301_000 }, stale],
    ['301 s ahead', { nowMs: now - 301_000 }, stale],
    ['custom skew', { nowMs: now + 61_000, maxSkewSeconds: 60 }, stale],
    ['wrong secret', { secrets: ['other-secret'] }, badSig],
    ['empty secret fails closed', { secrets: [''], signatureHeader: sig('', ts) }, badSig],
    ['no secret fails closed', { secrets: [] }, badSig],
    ['rotation: signed with the previous secret', { secrets: ['new', secret] }, prev],
    ['rotation: signed with the current secret', { secrets: [secret, 'old'] }, ok],
    ['rotation: neither secret', { secrets: ['new', 'old'] }, badSig],
    ['rotation: an empty previous is skipped', { secrets: ['new', ''] }, badSig],
    ['body changed by one byte', { rawBody: flipped }, badSig],
    ['signature of another timestamp', { signatureHeader: sig(secret, ts - 1) }, badSig],
    ['timestamp not the signed one', { timestampHeader: String(ts + 1) }, badSig],
    ['missing timestamp', { timestampHeader: undefined }, missing],
    ['missing signature', { signatureHeader: undefined }, missing],
    ['both missing', { timestampHeader: undefined, signatureHeader: undefined }, missing],
    ['empty timestamp', { timestampHeader: '' }, missing],
    ['empty signature', { signatureHeader: '' }, missing],
    ['repeated header (array)', { timestampHeader: [String(ts)] as unknown as string }, missing],
    ['non-numeric timestamp', { timestampHeader: 'yesterday' }, badTs],
    ['fractional timestamp', { timestampHeader: `${ts}.5` }, badTs],
    ['negative timestamp', { timestampHeader: `-${ts}` }, badTs],
    ['exponent timestamp', { timestampHeader: '1.7e9' }, badTs],
    ['padded timestamp', { timestampHeader: ` ${ts}` }, badTs],
    ['milliseconds timestamp', { timestampHeader: String(now) }, stale],
    ['huge timestamp header', { timestampHeader: '9'.repeat(100_000) }, badTs],
    ['no sha256= prefix', { signatureHeader: hex }, badSig],
    ['uppercase prefix', { signatureHeader: `SHA256=${hex}` }, badSig],
    ['other algorithm', { signatureHeader: `sha1=${hex}` }, badSig],
    ['63 hex digits', { signatureHeader: good.slice(0, -1) }, badSig],
    ['65 hex digits', { signatureHeader: `${good}0` }, badSig],
    ['non-hex digit', { signatureHeader: `${good.slice(0, -1)}g` }, badSig],
    ['trailing newline', { signatureHeader: `${good}\n` }, badSig],
    ['huge garbage header', { signatureHeader: garbage }, badSig],
  ];

  it.each(rows)('%s', (_name, over, expected) => {
    expect(verifyPortalSignature(input(over))).toEqual(expected);
  });

  const hostile: unknown[] = [null, 42, {}, [], ['a', 'b'], 'sha256=', '\u0000'.repeat(64)];
  it.each(hostile.map((h) => [h]))('never throws on header %j', (h) => {
    const header = h as string;
    expect(() => verifyPortalSignature(input({ signatureHeader: header }))).not.toThrow();
    expect(() => verifyPortalSignature(input({ timestampHeader: header }))).not.toThrow();
    expect(verifyPortalSignature(input({ signatureHeader: header })).ok).toBe(false);
  });
});

function sig(key: string, timestamp: number): string {
  return signPortalPayload(key, timestamp, body);
}

function fresh(): Partial<PortalSignatureInput> {
  const at = Math.floor(Date.now() / 1000);
  return { timestampHeader: String(at), signatureHeader: sig(secret, at) };
}
