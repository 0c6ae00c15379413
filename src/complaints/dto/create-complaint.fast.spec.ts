import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import fc from 'fast-check';
import { ValidationFailedError } from '../../platform/errors/domain-error';
import {
  createValidationPipe,
  FAST_VALIDATION,
  fastValidated,
} from '../../platform/errors/validation';
import { ComplainantDto, CreateComplaintDto, LocationDto } from './create-complaint.dto';

/** The full path, as the global pipe runs it without the fast check. */
async function fullPath(body: unknown): Promise<{ dto: object; errors: number }> {
  const dto = plainToInstance(CreateComplaintDto, body) as object;
  const errors = await validate(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  return { dto, errors: errors.length };
}

const valid = {
  complainant: { name: 'Asha Verma', mobile: '9876543210' },
  subject: 'Streetlights off',
  description: 'Streetlights have been off for weeks.',
  category: 'MUNICIPAL_SERVICES',
  location: { stateCode: '09', districtCode: '162', pincode: '226010', address: 'Gomti Nagar' },
  consent: true,
};

// Values near every rule's edges, of every JSON type, for any field.
const anyValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, 7, '', ' ', [], {}, ['x'], { a: 1 }),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const text = (min: number, max: number) =>
  fc.oneof(
    fc.string({ minLength: min, maxLength: min + 20 }),
    fc.constantFrom(
      'x'.repeat(min - 1),
      'x'.repeat(min),
      'x'.repeat(max),
      'x'.repeat(max + 1),
      ` ${'y'.repeat(min)} `,
      `${'😀'.repeat(min)}`,
      `${'z'.repeat(min)}\u200B`,
      `${'z'.repeat(min)}\u0000`,
      `क्‍ष ${'क'.repeat(min)}`,
      `${'a'.repeat(min)}\ud800`,
      `${'e\uFE0F'.repeat(min)}`,
    ),
    anyValue,
  );
const mobile = fc.oneof(
  fc.constantFrom('9876543210', '+91 98765 43210', '098765-43210', '5876543210', '987654321'),
  fc.stringMatching(/^[+0-9 -]{8,15}$/),
  anyValue,
);
const code = (re: RegExp) => fc.oneof(fc.stringMatching(re), anyValue);
const email = fc.oneof(
  fc.constantFrom(
    'asha@example.in',
    ' asha@example.in ',
    'not-an-email',
    `${'a'.repeat(250)}@x.in`,
  ),
  fc.emailAddress(),
  anyValue,
);
const withExtra = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(arb, fc.option(fc.constantFrom('colour', 'lat', 'id'), { nil: undefined }), anyValue)
    .map(([o, key, value]) => (key === undefined ? o : { ...o, [key]: value }));
const complainant = withExtra(
  fc.record(
    {
      name: text(2, 100),
      mobile,
      email,
      language: fc.oneof(fc.constantFrom('en', 'hi', 'brx', 'EN', 'xx'), anyValue),
    },
    { requiredKeys: [] },
  ),
);
const location = withExtra(
  fc.record(
    {
      stateCode: code(/^\d{1,3}$/),
      districtCode: code(/^\d{0,5}$/),
      pincode: code(/^\d{5,7}$/),
      address: text(5, 500),
    },
    { requiredKeys: [] },
  ),
);
// A valid body with one field changed (to an edge value, another type or nothing): the fast check
// must decide each rule alone as the decorators do.
const FIELDS: [string, fc.Arbitrary<unknown>][] = [
  ['complainant.name', text(2, 100)],
  ['complainant.mobile', mobile],
  ['complainant.email', email],
  ['complainant.language', fc.oneof(fc.constantFrom('en', 'hi', 'brx', 'EN', 'xx'), anyValue)],
  ['location.stateCode', code(/^\d{1,3}$/)],
  ['location.districtCode', code(/^\d{0,5}$/)],
  ['location.pincode', code(/^\d{5,7}$/)],
  ['location.address', text(5, 500)],
  ['location.extra', anyValue],
  ['subject', text(5, 200)],
  ['description', text(10, 8000)],
  ['category', code(/^[A-Z0-9_]{1,66}$/)],
  ['ministryCode', code(/^[A-Z0-9_]{1,33}$/)],
  ['consent', anyValue],
  ['notARepeat', fc.oneof(fc.boolean(), anyValue)],
  ['complainant', anyValue],
  ['location', anyValue],
];
const oneChange = fc
  .tuple(fc.nat(FIELDS.length - 1), fc.boolean())
  .chain(([i, remove]) => FIELDS[i][1].map((value) => ({ path: FIELDS[i][0], remove, value })))
  .map(({ path, remove, value }) => {
    const b: Record<string, unknown> = structuredClone(valid);
    const [head, leaf] = path.split('.');
    const parent = leaf ? (b[head] as Record<string, unknown>) : b;
    const key = leaf ?? head;
    if (remove) delete parent[key];
    else parent[key] = value;
    return JSON.parse(JSON.stringify(b)) as unknown;
  });
// JSON round trip: a body as the JSON parser hands it over (no undefined, plain objects).
const anyBody = withExtra(
  fc.record(
    {
      complainant: fc.oneof(complainant, anyValue),
      subject: text(5, 200),
      description: text(10, 8000),
      category: code(/^[A-Z0-9_]{1,66}$/),
      location: fc.oneof(location, anyValue),
      ministryCode: code(/^[A-Z0-9_]{1,33}$/),
      consent: fc.oneof(fc.constant(true), anyValue),
      notARepeat: fc.oneof(fc.boolean(), anyValue),
    },
    { requiredKeys: [] },
  ),
).map((b) => JSON.parse(JSON.stringify(b)) as unknown);
const body = fc.oneof(oneChange, anyBody);

describe('CreateComplaintDto fast check (FAST_VALIDATION)', () => {
  it('never accepts a body the decorators refuse, and builds the same DTO when it accepts', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const fast = fastValidated(CreateComplaintDto, structuredClone(b));
        if (fast === null) return;
        accepted += 1;
        const full = await fullPath(structuredClone(b));
        expect(full.errors).toBe(0);
        expect(fast).toStrictEqual(full.dto);
      }),
      { numRuns: 4000 },
    );
    // The property above only bites on bodies the fast check accepts: enough of them were made.
    expect(accepted).toBeGreaterThan(200);
  });

  it('accepts the valid bodies the decorators accept, trimmed and normalised the same way', async () => {
    const validBody = fc
      .record({
        name: fc.constantFrom('Asha Verma', '  आशा वर्मा ', 'Li'),
        mobile: fc.constantFrom('9876543210', '+91 98765 43210', '09876543210'),
        email: fc.constantFrom(undefined, null, ' asha@example.in'),
        language: fc.constantFrom(undefined, null, 'hi', 'en'),
        districtCode: fc.constantFrom(undefined, null, '162'),
        ministryCode: fc.constantFrom(undefined, null, 'MORLY'),
        notARepeat: fc.constantFrom(undefined, null, true, false),
        subject: fc.constantFrom('Streetlights off', ' सड़क पर गड्ढे हैं '),
      })
      .map(({ name, mobile, email, language, districtCode, ministryCode, notARepeat, subject }) =>
        JSON.parse(
          JSON.stringify({
            ...valid,
            subject,
            complainant: { name, mobile, email, language },
            location: { ...valid.location, districtCode },
            ministryCode,
            notARepeat,
          }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(validBody, async (b) => {
        const full = await fullPath(structuredClone(b));
        expect(full.errors).toBe(0);
        expect(fastValidated(CreateComplaintDto, structuredClone(b))).toStrictEqual(full.dto);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a refused body to the full path, whose errors the global pipe answers with', async () => {
    const pipe = createValidationPipe();
    const metadata = { type: 'body' as const, metatype: CreateComplaintDto };
    await expect(pipe.transform(valid, metadata)).resolves.toBeInstanceOf(CreateComplaintDto);
    const refused = pipe.transform(
      { ...valid, complainant: { ...valid.complainant, mobile: '12345' }, colour: 'red' },
      metadata,
    );
    await expect(refused).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(refused).rejects.toMatchObject({
      extra: {
        errors: [
          { path: 'colour', message: 'is not a known field' },
          {
            path: 'complainant.mobile',
            message: 'mobile must be a 10-digit Indian mobile number starting with 6-9',
          },
        ],
      },
    });
  });

  // The fast check restates the decorators: a rule added to the DTO without it here would be
  // skipped for every valid-looking body. This list is what the fast check covers.
  it('covers exactly the rules the decorators declare', () => {
    const rules = (cls: new () => object) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(cls, '', true, false)
        .map((m) => `${m.propertyName}:${m.name ?? m.type}`)
        .sort();
    expect(rules(ComplainantDto)).toEqual(
      [
        'name:isString',
        'name:isLength',
        'name:noHiddenCharacters',
        'mobile:isString',
        'mobile:matches',
        'email:isOptional',
        'email:isEmail',
        'email:maxLength',
        'language:isOptional',
        'language:isIn',
      ].sort(),
    );
    expect(rules(LocationDto)).toEqual(
      [
        'stateCode:isString',
        'stateCode:matches',
        'districtCode:isOptional',
        'districtCode:isString',
        'districtCode:matches',
        'pincode:isString',
        'pincode:matches',
        'address:isString',
        'address:isLength',
        'address:noHiddenCharacters',
      ].sort(),
    );
    expect(rules(CreateComplaintDto)).toEqual(
      [
        'complainant:isDefined',
        'complainant:isNotEmptyObject',
        'complainant:nestedValidation',
        'subject:isString',
        'subject:isLength',
        'subject:noHiddenCharacters',
        'description:isString',
        'description:isLength',
        'description:noHiddenCharacters',
        'category:isString',
        'category:matches',
        'location:isDefined',
        'location:isNotEmptyObject',
        'location:nestedValidation',
        'ministryCode:isOptional',
        'ministryCode:isString',
        'ministryCode:matches',
        'consent:equals',
        'notARepeat:isOptional',
        'notARepeat:isBoolean',
      ].sort(),
    );
    expect(typeof CreateComplaintDto[FAST_VALIDATION]).toBe('function');
  });
});
