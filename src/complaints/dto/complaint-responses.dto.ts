import { ApiProperty } from '@nestjs/swagger';

export class RoutedPortalDto {
  @ApiProperty({ example: 'UP-IGRS' }) portalCode!: string;
  @ApiProperty({ example: 'Integrated Grievance Redressal System, Uttar Pradesh' })
  portalName!: string;
  @ApiProperty() primary!: boolean;
}

export class ComplaintCreatedDto {
  @ApiProperty({ example: 'ONOP-7KQ2-M9XD-4TPA' }) trackingId!: string;
  @ApiProperty({ description: 'Shown once; send it as X-Access-Token to track the grievance' })
  accessToken!: string;
  @ApiProperty({ example: 'RECEIVED' }) status!: string;
  @ApiProperty({ type: [RoutedPortalDto] }) routedTo!: RoutedPortalDto[];
  @ApiProperty({ description: 'Provisional until the portal registers the grievance' })
  slaDueAt!: string;
  @ApiProperty() createdAt!: string;
}

export class DispatchViewDto {
  @ApiProperty() portalCode!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DARPG/E/2026/0001234' })
  externalRef!: string | null;
  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'DISPATCH_FAILED'] }) status!: string;
  @ApiProperty() primary!: boolean;
  @ApiProperty({ type: String, nullable: true }) lastSyncedAt!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ example: 'hub' }) source!: string;
  @ApiProperty({ type: String, nullable: true }) remarks!: string | null;
}

export class ComplaintViewDto {
  @ApiProperty() trackingId!: string;
  @ApiProperty() status!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ example: { mobileMasked: '******3210' } }) complainant!: { mobileMasked: string };
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) slaDueAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: [DispatchViewDto] }) dispatches!: DispatchViewDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiProperty({
    description: 'How many other citizens reported the same problem (same district and category)',
    example: 0,
  })
  othersReported!: number;
}
