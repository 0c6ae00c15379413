import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CitizenSessions } from '../auth/citizen-sessions.service';
import { CitizenActionsService } from '../complaints/citizen-actions.service';
import { CitizenGrievancesService } from '../complaints/citizen-grievances.service';
import { ComplaintsService } from '../complaints/complaints.service';
import {
  AppealDto,
  AppealResultDto,
  FeedbackDto,
  FeedbackResultDto,
  ReminderResultDto,
} from '../complaints/dto/citizen-actions.dto';
import {
  CitizenGrievanceDto,
  ReissuedAccessTokenDto,
} from '../complaints/dto/citizen-grievances.dto';
import { ComplaintViewDto } from '../complaints/dto/complaint-responses.dto';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { CITIZEN_SESSION } from '../platform/http/openapi';
import { CitizenSessionDto, OtpRequestDto, OtpSentDto, SessionRequestDto } from './dto/citizen.dto';
import { OtpService } from './otp.service';

const clientAddress = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

@ApiTags('citizen')
@ApiProblems({
  429: 'Too many codes, attempts or requests (Retry-After)',
  503: 'The database is unreachable; nothing was stored, retry shortly (Retry-After)',
})
@Controller('api/v1/citizen')
export class CitizenController {
  constructor(
    private readonly otp: OtpService,
    private readonly sessions: CitizenSessions,
    private readonly grievances: CitizenGrievancesService,
    private readonly complaints: ComplaintsService,
    private readonly actions: CitizenActionsService,
  ) {}

  @Post('otp')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a one-time code to a mobile',
    description: 'The same answer for every mobile, whether or not it has grievances.',
    security: [],
  })
  @ApiAcceptedResponse({ type: OtpSentDto })
  @ApiProblems({ 400: 'Invalid mobile number' })
  sendOtp(@Body() dto: OtpRequestDto, @Req() req: Request): Promise<OtpSentDto> {
    return this.otp.send(dto.mobile, clientAddress(req), String(req.id));
  }

  @Post('session')
  @ApiOperation({
    summary: 'Exchange a mobile and its one-time code for a citizen session',
    security: [],
  })
  @ApiCreatedResponse({ type: CitizenSessionDto })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }]',
    401: 'The code is wrong, used or expired (indistinguishable)',
  })
  openSession(@Body() dto: SessionRequestDto, @Req() req: Request): Promise<CitizenSessionDto> {
    return this.otp.verify(dto.mobile, dto.otp, clientAddress(req));
  }

  @Get('grievances')
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({
    summary: "Every grievance lodged with the session's mobile, on any portal (latest 100)",
  })
  @ApiOkResponse({ type: [CitizenGrievanceDto] })
  @ApiProblems({ 401: 'No valid citizen session' })
  async list(@Headers('x-citizen-token') token: string | undefined) {
    return this.grievances.list(await this.sessions.require(token));
  }

  @Get('grievances/:trackingId')
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({ summary: 'Track one of my grievances without its access token' })
  @ApiOkResponse({ type: ComplaintViewDto })
  @ApiProblems({ 401: 'No valid citizen session', 404: 'Unknown, or not this mobile’s' })
  async track(
    @Param('trackingId') trackingId: string,
    @Headers('x-citizen-token') token: string | undefined,
  ): Promise<ComplaintViewDto> {
    return this.complaints.track(trackingId, await this.sessions.require(token));
  }

  @Post('grievances/:trackingId/access-token')
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({ summary: 'Re-issue a lost access token (the old one stops working)' })
  @ApiCreatedResponse({ type: ReissuedAccessTokenDto })
  @ApiProblems({ 401: 'No valid citizen session', 404: 'Unknown, or not this mobile’s' })
  async reissue(
    @Param('trackingId') trackingId: string,
    @Headers('x-citizen-token') token: string | undefined,
  ): Promise<ReissuedAccessTokenDto> {
    return this.grievances.reissueAccessToken(await this.sessions.require(token), trackingId);
  }

  @Post('grievances/:trackingId/reminders')
  @HttpCode(202)
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({ summary: 'Remind the portal of one of my grievances' })
  @ApiAcceptedResponse({ type: ReminderResultDto })
  @ApiProblems({
    401: 'No valid citizen session',
    404: 'Unknown, or not this mobile’s',
    409: 'Not open at a portal',
  })
  async reminder(
    @Param('trackingId') trackingId: string,
    @Headers('x-citizen-token') token: string | undefined,
    @Req() req: Request,
  ): Promise<ReminderResultDto> {
    const session = await this.sessions.require(token);
    return this.actions.reminder(trackingId, session, String(req.id));
  }

  @Post('grievances/:trackingId/appeal')
  @HttpCode(202)
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({ summary: 'Appeal against the closure of one of my grievances' })
  @ApiAcceptedResponse({ type: AppealResultDto })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }]',
    401: 'No valid citizen session',
    404: 'Unknown, or not this mobile’s',
    409: 'Not closed, already appealed, or the appeal window ended',
  })
  async appeal(
    @Param('trackingId') trackingId: string,
    @Headers('x-citizen-token') token: string | undefined,
    @Body() dto: AppealDto,
    @Req() req: Request,
  ): Promise<AppealResultDto> {
    const session = await this.sessions.require(token);
    return this.actions.appeal(trackingId, session, dto, String(req.id));
  }

  @Post('grievances/:trackingId/feedback')
  @ApiSecurity(CITIZEN_SESSION)
  @ApiOperation({ summary: 'Rate the resolution of one of my grievances (closes it)' })
  @ApiCreatedResponse({ type: FeedbackResultDto })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }]',
    401: 'No valid citizen session',
    404: 'Unknown, or not this mobile’s',
    409: 'Not resolved yet, or feedback already given',
  })
  async feedback(
    @Param('trackingId') trackingId: string,
    @Headers('x-citizen-token') token: string | undefined,
    @Body() dto: FeedbackDto,
  ): Promise<FeedbackResultDto> {
    return this.actions.feedback(trackingId, await this.sessions.require(token), dto);
  }
}
