import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NoHiddenCharacters } from '../../platform/validation/no-hidden-characters';
import { trim } from './field-rules';

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 4 })
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Fixed within a week, thank you.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  @NoHiddenCharacters()
  comment?: string;
}

export class AppealDto {
  @ApiProperty({ minLength: 10, maxLength: 2000, example: 'The streetlights are still off.' })
  @Transform(trim)
  @IsString()
  @Length(10, 2000)
  @NoHiddenCharacters()
  reason!: string;
}

export class FeedbackResultDto {
  @ApiProperty() trackingId!: string;
  @ApiProperty() rating!: number;
  @ApiProperty({ example: 'CLOSED' }) status!: string;
}

export class AppealResultDto {
  @ApiProperty() trackingId!: string;
  @ApiProperty({ example: 'APPEALED' }) status!: string;
  @ApiProperty({ description: 'The appellate authority must decide by then' }) appealDueAt!: string;
}

export class ReminderResultDto {
  @ApiProperty() trackingId!: string;
  @ApiProperty() acceptedAt!: string;
  @ApiProperty() nextReminderAllowedAt!: string;
}
