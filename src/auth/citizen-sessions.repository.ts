import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class CitizenSessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(session: { tokenHash: string; mobileLookup: string; expiresAt: Date }) {
    await this.prisma.citizenSession.create({ data: session });
  }

  /** The mobile's keyed hash of a session still running at `now`; null otherwise. */
  async findLive(tokenHash: string, now: Date): Promise<string | null> {
    const row = await this.prisma.citizenSession.findFirst({
      where: { tokenHash, expiresAt: { gt: now } },
      select: { mobileLookup: true },
    });
    return row?.mobileLookup ?? null;
  }
}
