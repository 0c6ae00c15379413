import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldErrors } from '../../platform/errors/validation';
import { ClustersQuery, ComplainantsQuery } from './repeats-queries.dto';

const check = (query: typeof ClustersQuery | typeof ComplainantsQuery, raw: object) => {
  const dto = plainToInstance(query, raw);
  return { dto, errors: toFieldErrors(validateSync(dto, { whitelist: true })) };
};

describe.each([ClustersQuery, ComplainantsQuery])('%p days', (query) => {
  it.each(['1', '30', '366'])('takes days=%s as a number', (days) => {
    const { dto, errors } = check(query, { days });
    expect(errors).toEqual([]);
    expect(dto.days).toBe(Number(days));
  });

  it('leaves days out when not given (the default applies)', () => {
    const { dto, errors } = check(query, {});
    expect([dto.days, errors]).toEqual([undefined, []]);
  });

  it.each([
    ['0', 'days must not be less than 1'],
    ['367', 'days must not be greater than 366'],
    ['-3', 'days must not be less than 1'],
    ['1.5', 'days must be a whole number from 1 to 366'],
    ['month', 'days must be a whole number from 1 to 366'],
  ])('refuses days=%s: %s', (days, message) => {
    expect(check(query, { days }).errors).toEqual([{ path: 'days', message }]);
  });
});
