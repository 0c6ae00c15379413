import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CitizenActionsService } from './citizen-actions.service';
import {
  AppealDto,
  AppealResultDto,
  FeedbackDto,
  FeedbackResultDto,
  ReminderResultDto,
} from './dto/citizen-actions.dto';

const NOT_FOUND = 'Unknown tracking id or wrong access token (indistinguishable)';

@ApiTags('citizen')
@ApiHeader({ name: 'X-Access-Token', required: true })
@ApiNotFoundResponse({ description: NOT_FOUND })
@Controller('api/v1/complaints')
export class CitizenActionsController {
  constructor(private readonly actions: CitizenActionsService) {}

  @Post(':trackingId/feedback')
  @ApiCreatedResponse({ type: FeedbackResultDto })
  @ApiConflictResponse({ description: 'Not resolved yet, or feedback already given' })
  feedback(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Body() dto: FeedbackDto,
  ): Promise<FeedbackResultDto> {
    return this.actions.feedback(trackingId, token, dto);
  }

  @Post(':trackingId/appeal')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AppealResultDto,
    description: 'Stored; forwarded to the appellate level',
  })
  @ApiConflictResponse({ description: 'Not closed, already appealed, or the appeal window ended' })
  appeal(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Body() dto: AppealDto,
    @Req() req: Request,
  ): Promise<AppealResultDto> {
    return this.actions.appeal(trackingId, token, dto, String(req.id));
  }

  @Post(':trackingId/reminders')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReminderResultDto, description: 'Stored; forwarded to the portal' })
  @ApiConflictResponse({ description: 'Not open at a portal' })
  @ApiTooManyRequestsResponse({ description: 'One reminder per 7 days (Retry-After)' })
  reminder(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Req() req: Request,
  ): Promise<ReminderResultDto> {
    return this.actions.reminder(trackingId, token, String(req.id));
  }
}
