import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageLimit } from '../../platform/http/page-limit';
import type { GrievanceFilter } from '../grievance-list';

export const GROUP_BY = ['portal', 'state', 'district', 'category', 'ministry', 'ageing'] as const;
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

/** The analyst's filters, on every view (besides the date range). */
export class FilterQuery extends DateRangeQuery {
  @ApiPropertyOptional({ description: 'Portal code, e.g. "UP-IGRS"' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9-]{1,39}$/, { message: 'portal must be a portal code such as UP-IGRS' })
  portal?: string;

  @ApiPropertyOptional({ description: 'LGD state code, e.g. "09"' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'state must be a two-digit LGD state code' })
  state?: string;

  @ApiPropertyOptional({ description: 'LGD district code, e.g. "162"' })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'district must be an LGD district code of 1-4 digits' })
  district?: string;

  @ApiPropertyOptional({ description: 'Category code, e.g. "RAILWAYS"' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'category must be a category code such as ROADS' })
  category?: string;

  @ApiPropertyOptional({
    description: 'Ministry (CPGRAMS organisation code, e.g. "MORLY"); "-" for state subjects',
  })
  @IsOptional()
  @Matches(/^([A-Z][A-Z0-9]{1,15}|-)$/, {
    message: 'ministry must be an organisation code such as MORLY, or -',
  })
  ministry?: string;
}

/** The filters of a query that are set. */
export function filterOf(q: FilterQuery): GrievanceFilter {
  const f: GrievanceFilter = {};
  for (const k of ['portal', 'state', 'district', 'category', 'ministry'] as const)
    if (q[k]) f[k] = q[k];
  return f;
}

export class InsightsQuery extends FilterQuery {}

export class SummaryQuery extends FilterQuery {
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

export const BREACH_SORTS = ['due', '-due', 'received', '-received'] as const;
export type BreachSort = (typeof BREACH_SORTS)[number];

export class BreachesQuery extends FilterQuery {
  @ApiPropertyOptional({
    enum: BREACH_SORTS,
    default: 'due',
    description:
      'due: oldest deadline (most overdue) first; received: earliest received first; "-": reversed',
  })
  @IsOptional()
  @IsIn(BREACH_SORTS)
  sort?: BreachSort;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (same sort and filters)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{10,200}$/)
  cursor?: string;
  @PageLimit(50, 500)
  limit?: number;
}

export class TrendQuery extends DateRangeQuery {}
