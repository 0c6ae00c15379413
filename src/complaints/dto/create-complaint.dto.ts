import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
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
import { NoHiddenCharacters } from '../../platform/validation/no-hidden-characters';
import { INDIAN_MOBILE, normaliseMobile, trim } from './field-rules';

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
  @Matches(/^\d{2}$/, { message: 'stateCode must be a two-digit LGD state code' })
  stateCode!: string;

  @ApiPropertyOptional({
    type: String,
    example: '162',
    nullable: true,
    description: 'LGD district code',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,4}$/, { message: 'districtCode must be an LGD district code (1-4 digits)' })
  districtCode?: string | null;

  @ApiProperty({ example: '226001' })
  @IsString()
  @Matches(/^[1-9]\d{5}$/, { message: 'pincode must be a 6-digit Indian PIN code' })
  pincode!: string;

  @ApiProperty({ example: 'Sector 12, Gomti Nagar', minLength: 5, maxLength: 500 })
  @Transform(trim)
  @IsString()
  @Length(5, 500)
  @NoHiddenCharacters()
  address!: string;
}

export class CreateComplaintDto {
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
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'category must be a category code' })
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
  @Matches(/^[A-Z][A-Z0-9_]{1,31}$/, { message: 'ministryCode must be a ministry code' })
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
