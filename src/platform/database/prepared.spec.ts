import { lostByPooler, prepared, refusedBeforeRunning } from './prepared';

describe('prepared statements', () => {
  it('names a statement by its text: the same text the same name, another text another', () => {
    expect(prepared('SELECT 1').name).toBe(prepared('SELECT 1').name);
    expect(prepared('SELECT 1').name).not.toBe(prepared('SELECT 2').name);
    expect(prepared('SELECT 1').name).toMatch(/^hub_[0-9a-f]{24}$/);
  });

  it.each([
    [{ code: '26000', message: 'prepared statement "hub_x" does not exist' }, true],
    [{ code: '42P05', message: 'prepared statement "hub_x" already exists' }, true],
    [{ code: '0A000', message: 'cached plan must not change result type' }, true],
    [{ code: '0A000', message: 'some other feature is not supported' }, false],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }, false],
    [{ code: '40P01', message: 'deadlock detected' }, false],
    [new Error('connection terminated'), false],
    [undefined, false],
  ])('%o refused before running: %s', (error, expected) => {
    expect(refusedBeforeRunning(error)).toBe(expected);
  });

  it.each([
    [{ code: '26000' }, true],
    [{ code: '42P05' }, true],
    // A migration outdated the plan: no pooler involved.
    [{ code: '0A000', message: 'cached plan must not change result type' }, false],
    [new Error('connection terminated'), false],
    [undefined, false],
  ])('%o lost by a pooler: %s', (error, expected) => {
    expect(lostByPooler(error)).toBe(expected);
  });
});
