import { methodsOf, plainDeps, portalInstance } from '../testing/fixtures';
import { AAPLE_SARKAR_OPTIONS } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

const valid = (): Record<string, unknown> =>
  structuredClone(AAPLE_SARKAR_OPTIONS) as unknown as Record<string, unknown>;
const create = (options: Record<string, unknown>) =>
  createStatePortalRestAdapter(
    portalInstance({ kind: 'state-portal-rest', code: 'MH-AAPLESARKAR', options }),
    plainDeps(),
  );

describe('state-portal-rest options', () => {
  it('accepts the Aaple Sarkar block and has exactly the methods its paths configure', () => {
    const adapter = create(valid());
    expect(methodsOf(adapter)).toEqual(['lookup', 'mapStatus', 'sendReminder', 'submitAppeal']);
  });

  it('leaves out the operations whose paths are not configured', () => {
    const { reminderPath: _r, appealPath: _a, lookupPath: _l, ...minimal } = valid();
    const adapter = create({ ...minimal, updatesPath: '/api/v1/updates' });
    expect(methodsOf(adapter)).toEqual(['fetchUpdates', 'mapStatus']);
    expect(adapter.lookup).toBeUndefined();
    expect(adapter.sendReminder).toBeUndefined();
    expect(adapter.submitAppeal).toBeUndefined();
  });

  it('needs clientRef in the fieldMap only when there is a lookup to find it by', () => {
    const { lookupPath: _l, ...noLookup } = valid();
    const adapter = create({ ...noLookup, fieldMap: { subject: 'subject' } });
    expect(adapter.lookup).toBeUndefined();
  });

  const cases: [string, (o: Record<string, unknown>) => void, RegExp][] = [
    ['submitPath missing', (o) => delete o.submitPath, /options\.submitPath: /],
    [
      'lookupPath without {clientRef}',
      (o) => (o.lookupPath = '/api/v1/grievance/status'),
      /options\.lookupPath: must contain \{clientRef\}/,
    ],
    [
      'a relative path',
      (o) => (o.healthPath = 'ping'),
      /options\.healthPath: must be a path starting with "\/"/,
    ],
    [
      'reminderPath without {externalRef}',
      (o) => (o.reminderPath = '/remind'),
      /options\.reminderPath: must contain \{externalRef\}/,
    ],
    [
      'a fieldMap source that is not a hub field',
      (o) =>
        (o.fieldMap = { ...(o.fieldMap as object), 'applicant.aadhaar': 'complainant.aadhaar' }),
      /options\.fieldMap\.applicant\.aadhaar: /,
    ],
    [
      'a fieldMap that does not send clientRef',
      (o) => (o.fieldMap = { subject: 'subject' }),
      /options\.fieldMap: must send clientRef/,
    ],
    [
      'a portal field path that is unsafe',
      (o) => (o.fieldMap = { ...(o.fieldMap as object), '__proto__.x': 'subject' }),
      /options\.fieldMap\.__proto__\.x: must be a dot path/,
    ],
    [
      'clashing portal fields',
      (o) => (o.constants = { applicant: 'x' }),
      /options\.fieldMap\.applicant: clashes with "applicant\./,
    ],
    [
      'a status map value that is not canonical',
      (o) => (o.statusMap = { Disposed: 'DONE' }),
      /options\.statusMap\.Disposed: /,
    ],
    [
      'a status only the hub sets',
      (o) => (o.statusMap = { Pending: 'ROUTED' }),
      /options\.statusMap\.Pending: only the hub sets/,
    ],
    ['a misspelt option', (o) => (o.submitPth = '/x'), /options: .*submitPth/],
    ['the retired push option', (o) => (o.push = true), /options\.push: .*mode: push/],
  ];

  it.each(cases)('refuses %s, naming the portal and the option', (_name, spoil, message) => {
    const options = valid();
    spoil(options);
    let thrown: Error | undefined;
    try {
      create(options);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toMatch(
      /^Portal MH-AAPLESARKAR \(kind state-portal-rest\): invalid options — /,
    );
    expect(thrown?.message).toMatch(message);
  });
});
