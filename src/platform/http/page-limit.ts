import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** An optional `?limit=` for a page of results: a whole number from 1 to `max`. */
export function PageLimit(defaultLimit: number, max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: defaultLimit, maximum: max }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
}
