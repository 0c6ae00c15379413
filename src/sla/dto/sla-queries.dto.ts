import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageLimit } from '../../platform/http/page-limit';

export const GROUP_BY = ['portal', 'state', 'district', 'category'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export class DateRangeQuery {
  @ApiPropertyOptional({ description: 'First IST day received, YYYY-MM-DD (default: all time)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last IST day received, YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;
}

export class SummaryQuery extends DateRangeQuery {
  @ApiPropertyOptional({ enum: GROUP_BY, default: 'portal' })
  @IsOptional()
  @IsIn(GROUP_BY)
  groupBy?: GroupBy;
}

export class DistrictIndexQuery {
  @ApiProperty({ description: 'LGD state code, e.g. "09"' })
  @Matches(/^\d{2}$/, { message: 'state must be a two-digit LGD state code' })
  state!: string;

  @ApiPropertyOptional({ description: 'IST month received, YYYY-MM (default: this month)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month as YYYY-MM' })
  month?: string;
}

export class BreachesQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9-]{2,40}$/) portal?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{2}$/) state?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,4}$/) district?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{10,200}$/)
  cursor?: string;
  @PageLimit(50, 500)
  limit?: number;
}

export class TrendQuery extends DateRangeQuery {}
