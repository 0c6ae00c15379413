import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import type { KeysetPosition } from '../platform/database/keyset';
import { ReadDatabase } from '../platform/database/read-database';
import {
  LISTED_GRIEVANCE_COLUMNS,
  type ListedGrievance,
  PRIMARY_REF_JOIN,
  type PlaceFilter,
  placeConditions,
} from './grievance-list';
import { openPastDue } from './open-past-due';

export type BreachFilter = PlaceFilter;

export interface BreachRow extends ListedGrievance {
  createdAt: Date;
  deliveredAt: Date | null;
  slaDueAt: Date;
}

/** Open grievances past their deadline, oldest deadline first, by keyset on (sla_due_at, id). */
@Injectable()
export class SlaBreachesRepository {
  /** A staff list: on the read replica when there is one. */
  constructor(private readonly reads: ReadDatabase) {}

  /** `after`: the deadline (`at`) and id of the previous page's last row. */
  page(f: BreachFilter, after: KeysetPosition | null, limit: number) {
    const conditions = [
      openPastDue('c'),
      ...placeConditions(f),
      ...(after ? [Prisma.sql`(c.sla_due_at, c.id) > (${after.at}, ${after.id}::uuid)`] : []),
    ];
    return this.reads.prisma.$queryRaw<BreachRow[]>`
      SELECT ${LISTED_GRIEVANCE_COLUMNS},
        c.created_at AS "createdAt", c.delivered_at AS "deliveredAt", c.sla_due_at AS "slaDueAt"
      FROM complaints c
      ${PRIMARY_REF_JOIN}
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY c.sla_due_at, c.id
      LIMIT ${limit}`;
  }
}
