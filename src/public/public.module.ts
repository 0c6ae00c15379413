import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { PublicFiguresService } from './public-figures.service';
import { PublicFiguresController, PublicPageController } from './public.controller';

/** The public transparency figures (API; no key). */
@Module({
  imports: [SlaModule],
  controllers: [PublicFiguresController],
  providers: [PublicFiguresService],
})
export class PublicModule {}

/** The public transparency page (served where the dashboard is). */
@Module({ controllers: [PublicPageController] })
export class PublicPageModule {}
