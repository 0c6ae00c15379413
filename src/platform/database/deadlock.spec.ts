import { isDeadlock, retryOnDeadlock } from './deadlock';

describe('isDeadlock', () => {
  it.each([
    ['a pg error', { code: '40P01' }, true],
    ['a Prisma error with the code in meta', { meta: { code: '40P01' } }, true],
    [
      'a raw Prisma query error',
      new Error('Raw query failed. Code: `40P01`. Message: `deadlock detected`'),
      true,
    ],
    ['a unique violation', { code: '23505' }, false],
    ['a serialization failure', new Error('Raw query failed. Code: `40001`.'), false],
    ['nothing', null, false],
  ])('%s', (_, error, expected) => {
    expect(isDeadlock(error)).toBe(expected);
  });
});

describe('retryOnDeadlock', () => {
  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

  it('runs the statement again after a deadlock and returns its result', async () => {
    const run = jest.fn().mockRejectedValueOnce(deadlock()).mockResolvedValueOnce(7);
    await expect(retryOnDeadlock(run)).resolves.toBe(7);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('throws any other error at once', async () => {
    const other = new Error('connection refused');
    const run = jest.fn().mockRejectedValue(other);
    await expect(retryOnDeadlock(run)).rejects.toBe(other);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('throws the last deadlock after the given attempts', async () => {
    const run = jest.fn().mockRejectedValue(deadlock());
    await expect(retryOnDeadlock(run, 3)).rejects.toMatchObject({ code: '40P01' });
    expect(run).toHaveBeenCalledTimes(3);
  });
});
