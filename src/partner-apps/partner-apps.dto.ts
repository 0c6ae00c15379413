import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { NoHiddenCharacters } from '../platform/validation/no-hidden-characters';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreatePartnerAppDto {
  @ApiProperty({ example: 'Swachh Lucknow app', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(2, 100)
  @NoHiddenCharacters()
  name!: string;

  @ApiProperty({ example: 600, minimum: 1, maximum: 100000, description: 'Requests a minute' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  rateLimitPerMinute!: number;

  @ApiProperty({
    example:
      'Before filing, the app shows the citizen: "Your grievance and contact details will be shared with the responsible government portal" and files only after they agree.',
    minLength: 20,
    maxLength: 2000,
    description:
      "What the app tells its citizens before it files for them: it stands for each citizen's consent",
  })
  @Transform(trim)
  @IsString()
  @Length(20, 2000)
  @NoHiddenCharacters()
  consentDeclaration!: string;
}

export const PARTNER_APP_EXAMPLE = {
  id: '3f0d7a52-1c55-4a8e-9a57-3c1c1b4e2f10',
  name: 'Swachh Lucknow app',
  prefix: 'gpk_Qm9yZ3Vl',
  rateLimitPerMinute: 600,
  consentDeclaration:
    'Before filing, the app shows the citizen: "Your grievance and contact details will be shared with the responsible government portal" and files only after they agree.',
  createdAt: '2026-11-27T04:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
};
