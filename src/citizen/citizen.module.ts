import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ComplaintsModule } from '../complaints/complaints.module';
import { SmsModule } from '../notifications/sms.module';
import { CitizenController } from './citizen.controller';
import { OtpRepository } from './otp.repository';
import { OtpService } from './otp.service';

/**
 * A citizen's verified mobile: one-time codes, sessions (owned by auth, which intake reads too)
 * and "my grievances" on every portal, through the complaints module's own services.
 */
@Module({
  imports: [AuthModule, ComplaintsModule, SmsModule],
  controllers: [CitizenController],
  providers: [OtpService, OtpRepository],
})
export class CitizenModule {}
