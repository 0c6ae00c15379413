import { ApiProperty } from '@nestjs/swagger';

export class CitizenPortalDto {
  @ApiProperty({ example: 'UP-IGRS' }) code!: string;
  @ApiProperty({ example: 'Uttar Pradesh IGRS (Jansunwai)' }) name!: string;
}

export class CitizenGrievanceDto {
  @ApiProperty({ example: 'ONOP-7KQ2-M9XD-4TPA' }) trackingId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ example: 'IN_PROGRESS' }) status!: string;
  @ApiProperty({ type: CitizenPortalDto }) portal!: CitizenPortalDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The portal's own reference, once it registered the grievance",
  })
  reference!: string | null;
  @ApiProperty({ type: String, nullable: true }) slaDueAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'Lodged with a citizen session (the mobile answered a code)' })
  mobileVerified!: boolean;
  @ApiProperty({ description: 'Other citizens who reported the same problem', example: 0 })
  othersReported!: number;
  @ApiProperty({
    isArray: true,
    enum: ['track', 'remind', 'appeal', 'rate', 'reissue-access-token'],
    description: 'What the citizen can do now (each is checked again when done)',
  })
  allowedActions!: string[];
}

export class ReissuedAccessTokenDto {
  @ApiProperty() trackingId!: string;
  @ApiProperty({ description: 'Shown once; the previous access token no longer works' })
  accessToken!: string;
}
