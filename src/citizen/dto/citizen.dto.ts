import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { INDIAN_MOBILE, normaliseMobile } from '../../complaints/dto/field-rules';

const MOBILE_MESSAGE = 'mobile must be a 10-digit Indian mobile number starting with 6-9';

export class OtpRequestDto {
  @ApiProperty({
    example: '9876543210',
    description: 'Indian mobile number (10 digits, starts 6-9)',
  })
  @Transform(normaliseMobile)
  @IsString({ message: MOBILE_MESSAGE })
  @Matches(INDIAN_MOBILE, { message: MOBILE_MESSAGE })
  mobile!: string;
}

export class OtpSentDto {
  @ApiProperty({ example: 300, description: 'The code works this long, for 3 attempts' })
  expiresInSeconds!: number;
}

export class SessionRequestDto extends OtpRequestDto {
  @ApiProperty({ example: '042917', description: 'The 6-digit code sent by SMS' })
  @IsString({ message: 'otp must be the 6-digit code' })
  @Matches(/^\d{6}$/, { message: 'otp must be the 6-digit code' })
  otp!: string;
}

export class CitizenSessionDto {
  @ApiProperty({ description: 'Send as X-Citizen-Token' }) token!: string;
  @ApiProperty() expiresAt!: string;
}
