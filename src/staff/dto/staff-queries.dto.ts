import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CANONICAL_STATUSES } from '../../../adapters/adapter';
import { PageLimit } from '../../platform/http/page-limit';
import { NoHiddenCharacters } from '../../platform/validation/no-hidden-characters';

export class StaffSearchQuery {
  @ApiPropertyOptional({ enum: CANONICAL_STATUSES })
  @IsOptional()
  @IsIn(CANONICAL_STATUSES)
  status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9-]{2,40}$/) portal?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{2}$/) state?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,4}$/) district?: string;

  @ApiPropertyOptional({ description: 'true: open past the deadline; false: everything else' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      "Tracking id, portal reference, the citizen's 10-digit mobile or a complainantKey " +
      '(GET /api/v1/staff/complainants)',
  })
  @IsOptional()
  @IsString()
  @Length(3, 80)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z0-9_-]{10,200}$/) cursor?: string;

  @PageLimit(50, 200)
  limit?: number;
}

export class UnmaskDto {
  @ApiProperty({
    description: 'Why the personal data is needed (kept in the audit log)',
    example: 'Call the complainant back about the site visit',
    minLength: 5,
    maxLength: 500,
  })
  @IsString()
  @Length(5, 500)
  @NoHiddenCharacters()
  reason!: string;
}

export class AuditQuery {
  @PageLimit(100, 500)
  limit?: number;
}
