import { Module } from '@nestjs/common';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

@Module({ providers: [PrivacyRepository, PrivacyService], exports: [PrivacyService] })
export class PrivacyModule {}
