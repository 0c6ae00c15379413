import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import type { KeysetPosition } from '../platform/database/keyset';
import { ReadDatabase } from '../platform/database/read-database';
import {
  LISTED_GRIEVANCE_COLUMNS,
  type ListedGrievance,
  PRIMARY_REF_JOIN,
  type GrievanceFilter,
  filterConditions,
} from './grievance-list';
import type { BreachSort } from './dto/sla-queries.dto';
import { openPastDue } from './open-past-due';

export interface BreachFilter extends GrievanceFilter {
  /** Received in [receivedFrom, receivedBefore). */
  receivedFrom?: Date;
  receivedBefore?: Date;
}

const SORT_COLUMN = { due: 'sla_due_at', received: 'created_at' } as const;

export interface BreachRow extends ListedGrievance {
  createdAt: Date;
  deliveredAt: Date | null;
  slaDueAt: Date;
}

/**
 * Open grievances past their deadline, by keyset on (sort column, id): the deadline (`due`,
 * oldest first: the most overdue) or the time received, either way round.
 */
@Injectable()
export class SlaBreachesRepository {
  /** A staff list: on the read replica when there is one. */
  constructor(private readonly reads: ReadDatabase) {}

  /** `after`: the sort value (`at`) and id of the previous page's last row. */
  page(f: BreachFilter, sort: BreachSort, after: KeysetPosition | null, limit: number) {
    const descending = sort.startsWith('-');
    const column = Prisma.raw(
      `c.${SORT_COLUMN[descending ? (sort.slice(1) as 'due') : (sort as 'due')]}`,
    );
    const direction = Prisma.raw(descending ? 'DESC' : 'ASC');
    const conditions = [
      openPastDue('c'),
      ...filterConditions(f),
      ...(f.receivedFrom ? [Prisma.sql`c.created_at >= ${f.receivedFrom}`] : []),
      ...(f.receivedBefore ? [Prisma.sql`c.created_at < ${f.receivedBefore}`] : []),
      ...(after
        ? [
            descending
              ? Prisma.sql`(${column}, c.id) < (${after.at}, ${after.id}::uuid)`
              : Prisma.sql`(${column}, c.id) > (${after.at}, ${after.id}::uuid)`,
          ]
        : []),
    ];
    // The page's ids first: an index-only walk of a partial index of open grievances (by
    // deadline or by time received), which covers every filter; then their rows.
    return this.reads.prisma.$queryRaw<BreachRow[]>`
      SELECT ${LISTED_GRIEVANCE_COLUMNS},
        c.created_at AS "createdAt", c.delivered_at AS "deliveredAt", c.sla_due_at AS "slaDueAt"
      FROM (SELECT c.id FROM complaints c
            WHERE ${Prisma.join(conditions, ' AND ')}
            ORDER BY ${column} ${direction}, c.id ${direction}
            LIMIT ${limit}) page
      JOIN complaints c ON c.id = page.id
      ${PRIMARY_REF_JOIN}
      ORDER BY ${column} ${direction}, c.id ${direction}`;
  }
}
