import { z } from 'zod';
import { orgCode, upperSnake } from './schema-fields';

const category = z
  .strictObject({
    code: upperSnake,
    label: z.strictObject({ en: z.string().min(1), hi: z.string().min(1) }),
    level: z.enum(['state', 'central']),
    ministry: orgCode.optional(),
    /** Open311 `group` and `keywords` (GET /open311/v2/services): how civic apps list it. */
    group: z.string().min(1).max(60).optional(),
    keywords: z.array(z.string().min(1).max(40)).max(20).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.level === 'central' && !c.ministry) {
      ctx.addIssue({
        code: 'custom',
        path: ['ministry'],
        message: 'A central category needs a ministry code',
      });
    }
    if (c.level === 'state' && c.ministry) {
      ctx.addIssue({
        code: 'custom',
        path: ['ministry'],
        message: 'A state category has no ministry: remove it or make the category central',
      });
    }
  });

export const categoriesFileSchema = z.strictObject({
  ministries: z.array(z.strictObject({ code: orgCode, name: z.string().min(1) })).min(1),
  categories: z.array(category).min(1),
});
