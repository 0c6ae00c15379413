import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  equals,
  isBoolean,
  isEmail,
  isIn,
  isString,
  length,
  matches,
  maxLength,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FAST_VALIDATION } from '../../platform/errors/validation';
import {
  hiddenCharacterProblem,
  NoHiddenCharacters,
} from '../../platform/validation/no-hidden-characters';
import { INDIAN_MOBILE, normaliseMobile, tenDigitMobile, trim } from './field-rules';

// Languages of the Eighth Schedule that portals are asked to reply in, plus English.
export const LANGUAGES = [
  'en',
  'hi',
  'as',
  'bn',
  'brx',
  'doi',
  'gu',
  'kn',
  'ks',
  'kok',
  'mai',
  'ml',
  'mni',
  'mr',
  'ne',
  'or',
  'pa',
  'sa',
  'sat',
  'sd',
  'ta',
  'te',
  'ur',
] as const;

const STATE_CODE = /^\d{2}$/;
const DISTRICT_CODE = /^\d{1,4}$/;
const PINCODE = /^[1-9]\d{5}$/;
const CATEGORY = /^[A-Z][A-Z0-9_]{1,63}$/;
const MINISTRY_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;

export class ComplainantDto {
  @ApiProperty({ example: 'Asha Verma', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(2, 100)
  @NoHiddenCharacters()
  name!: string;

  @ApiProperty({
    example: '9876543210',
    description: 'Indian mobile number (10 digits, starts 6-9)',
  })
  @Transform(normaliseMobile)
  @IsString()
  @Matches(INDIAN_MOBILE, {
    message: 'mobile must be a 10-digit Indian mobile number starting with 6-9',
  })
  mobile!: string;

  @ApiPropertyOptional({ type: String, example: 'asha@example.in', nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: string;
}

export class LocationDto {
  @ApiProperty({
    example: '09',
    description: 'LGD state code, two digits (GET /api/v1/jurisdictions)',
  })
  @IsString()
  @Matches(STATE_CODE, { message: 'stateCode must be a two-digit LGD state code' })
  stateCode!: string;

  @ApiPropertyOptional({
    type: String,
    example: '162',
    nullable: true,
    description: 'LGD district code',
  })
  @IsOptional()
  @IsString()
  @Matches(DISTRICT_CODE, { message: 'districtCode must be an LGD district code (1-4 digits)' })
  districtCode?: string | null;

  @ApiProperty({ example: '226001' })
  @IsString()
  @Matches(PINCODE, { message: 'pincode must be a 6-digit Indian PIN code' })
  pincode!: string;

  @ApiProperty({ example: 'Sector 12, Gomti Nagar', minLength: 5, maxLength: 500 })
  @Transform(trim)
  @IsString()
  @Length(5, 500)
  @NoHiddenCharacters()
  address!: string;
}

export class CreateComplaintDto {
  /** The intake route's fast check (below); the decorators stay the rules and the errors. */
  static readonly [FAST_VALIDATION] = lodgeBodyFastPath;

  @ApiProperty({ type: ComplainantDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ComplainantDto)
  complainant!: ComplainantDto;

  @ApiProperty({ example: 'Streetlights not working for 3 weeks', minLength: 5, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(5, 200)
  @NoHiddenCharacters()
  subject!: string;

  @ApiProperty({
    example: 'All streetlights on the main road of Sector 12 have been off for three weeks.',
    minLength: 10,
    maxLength: 8000,
  })
  @Transform(trim)
  @IsString()
  @Length(10, 8000)
  @NoHiddenCharacters()
  description!: string;

  @ApiProperty({ example: 'MUNICIPAL_SERVICES', description: 'GET /api/v1/categories' })
  @IsString()
  @Matches(CATEGORY, { message: 'category must be a category code' })
  category!: string;

  @ApiProperty({ type: LocationDto })
  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Central ministry/department code',
  })
  @IsOptional()
  @IsString()
  @Matches(MINISTRY_CODE, { message: 'ministryCode must be a ministry code' })
  ministryCode?: string | null;

  @ApiProperty({
    example: true,
    description: 'Consent to share the grievance with the responsible portal',
  })
  @Equals(true, { message: 'consent must be true: the hub cannot forward a grievance without it' })
  consent!: boolean;

  @ApiPropertyOptional({
    example: false,
    description:
      'true: lodge even though an open grievance of this mobile (same district, category and ' +
      'pincode) says much the same; otherwise such a grievance is answered 409 repeat-grievance',
  })
  @IsOptional()
  @IsBoolean({ message: 'notARepeat must be true or false' })
  notARepeat?: boolean;
}

// The intake route's fast check (FAST_VALIDATION): every rule of the decorators above, called as
// the same class-validator functions on the values class-transformer would produce, without the
// metadata walk of class-transformer and class-validator (about a tenth of the api's CPU per
// intake, docs/benchmarks.md#intake-cpu-issue-16). Anything unexpected — a missing or unknown
// field, a wrong type, a failed rule — returns null and the full path answers with its errors.
// create-complaint.fast.spec.ts holds both to the same verdicts and the same DTO, and fails when
// a decorator is added here without a matching check.

type Plain = Record<string, unknown>;
const COMPLAINANT_KEYS = new Set(['name', 'mobile', 'email', 'language']);
const LOCATION_KEYS = new Set(['stateCode', 'districtCode', 'pincode', 'address']);
const BODY_KEYS = new Set([
  'complainant',
  'subject',
  'description',
  'category',
  'location',
  'ministryCode',
  'consent',
  'notARepeat',
]);

/** An object as JSON.parse makes it (of any realm): not an array, a class instance or a Buffer. */
const isPlainObject = (v: unknown): v is Plain => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
};
const onlyKnownKeys = (v: Plain, known: Set<string>) => Object.keys(v).every((k) => known.has(k));
const isAbsent = (v: unknown) => v === null || v === undefined;
/** @IsString @Length(min, max) @NoHiddenCharacters on an already transformed value. */
const isText = (v: unknown, min: number, max: number): v is string =>
  isString(v) && length(v, min, max) && hiddenCharacterProblem(v) === null;
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
/** @IsOptional @IsString @Matches(pattern). */
const isOptionalCode = (v: unknown, pattern: RegExp) =>
  isAbsent(v) || (isString(v) && matches(v, pattern));

function complainantFastPath(plain: unknown): ComplainantDto | null {
  if (!isPlainObject(plain) || !onlyKnownKeys(plain, COMPLAINANT_KEYS)) return null;
  const name = trimmed(plain.name);
  const mobile = typeof plain.mobile === 'string' ? tenDigitMobile(plain.mobile) : plain.mobile;
  const email = trimmed(plain.email);
  if (!isText(name, 2, 100)) return null;
  if (!isString(mobile) || !matches(mobile, INDIAN_MOBILE)) return null;
  if (!isAbsent(email) && !(isEmail(email, {}) && maxLength(email, 254))) return null;
  if (!isAbsent(plain.language) && !isIn(plain.language, LANGUAGES)) return null;
  const dto = new ComplainantDto();
  for (const key of Object.keys(plain)) (dto as unknown as Plain)[key] = plain[key];
  dto.name = name;
  dto.mobile = mobile;
  if ('email' in plain) dto.email = email as string | null;
  return dto;
}

function locationFastPath(plain: unknown): LocationDto | null {
  if (!isPlainObject(plain) || !onlyKnownKeys(plain, LOCATION_KEYS)) return null;
  const address = trimmed(plain.address);
  if (!isString(plain.stateCode) || !matches(plain.stateCode, STATE_CODE)) return null;
  if (!isOptionalCode(plain.districtCode, DISTRICT_CODE)) return null;
  if (!isString(plain.pincode) || !matches(plain.pincode, PINCODE)) return null;
  if (!isText(address, 5, 500)) return null;
  const dto = new LocationDto();
  for (const key of Object.keys(plain)) (dto as unknown as Plain)[key] = plain[key];
  dto.address = address;
  return dto;
}

function lodgeBodyFastPath(plain: unknown): CreateComplaintDto | null {
  if (!isPlainObject(plain) || !onlyKnownKeys(plain, BODY_KEYS)) return null;
  const complainant = complainantFastPath(plain.complainant);
  const location = locationFastPath(plain.location);
  const subject = trimmed(plain.subject);
  const description = trimmed(plain.description);
  if (!complainant || !location) return null;
  if (!isText(subject, 5, 200) || !isText(description, 10, 8000)) return null;
  if (!isString(plain.category) || !matches(plain.category, CATEGORY)) return null;
  if (!isOptionalCode(plain.ministryCode, MINISTRY_CODE)) return null;
  if (!equals(plain.consent, true)) return null;
  if (!isAbsent(plain.notARepeat) && !isBoolean(plain.notARepeat)) return null;
  const dto = new CreateComplaintDto();
  for (const key of Object.keys(plain)) (dto as unknown as Plain)[key] = plain[key];
  dto.complainant = complainant;
  dto.location = location;
  dto.subject = subject;
  dto.description = description;
  return dto;
}
