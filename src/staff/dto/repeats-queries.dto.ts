import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageLimit } from '../../platform/http/page-limit';

/** An optional `?days=` window looking back from today: a whole number from 1 to 366, default 30. */
function WindowDays(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, default: 30 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'days must be a whole number from 1 to 366' }),
    Min(1),
    Max(366),
  );
}

export class ClustersQuery {
  @WindowDays('Clusters with a grievance in the last N days')
  days?: number;

  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,4}$/) district?: string;

  @PageLimit(50, 200)
  limit?: number;
}

export class ComplainantsQuery {
  @WindowDays('Grievances lodged in the last N days')
  days?: number;

  @ApiPropertyOptional({ description: 'At least this many grievances', default: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'min must be a whole number from 1 to 100000' })
  @Min(1)
  @Max(100_000)
  min?: number;

  @PageLimit(50, 200)
  limit?: number;
}
