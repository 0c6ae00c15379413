import { outbound, PERSON } from '../testing/fixtures';
import { portalCategory, toPortalBody, UnmappedCategoryError } from './field-mapping';

describe('toPortalBody', () => {
  it('writes nested portal fields from hub fields, with constants', () => {
    const body = toPortalBody(outbound(), {
      fieldMap: {
        'applicant.mobile': 'complainant.mobile',
        'applicant.name': 'complainant.name',
        ref: 'clientRef',
      },
      constants: { source: 'ONOP', 'meta.version': 2 },
    });
    expect(body).toEqual({
      applicant: { mobile: PERSON.mobile, name: PERSON.name },
      ref: 'disp_01HZX4K8M2Q7',
      source: 'ONOP',
      meta: { version: 2 },
    });
  });

  it('leaves out fields whose hub value is null', () => {
    const g = outbound({ complainant: { ...outbound().complainant, email: null } });
    expect(toPortalBody(g, { fieldMap: { email: 'complainant.email', ref: 'clientRef' } })).toEqual(
      { ref: g.clientRef },
    );
  });

  it('maps the category when a category map is configured', () => {
    const mapping = {
      fieldMap: { dept: 'category' as const },
      categoryMap: { MUNICIPAL_SERVICES: 'UDD' },
    };
    expect(toPortalBody(outbound(), mapping)).toEqual({ dept: 'UDD' });
    expect(toPortalBody(outbound(), { fieldMap: { dept: 'category' } })).toEqual({
      dept: 'MUNICIPAL_SERVICES',
    });
  });
});

describe('portalCategory', () => {
  it.each([
    ['POLICE', { categoryMap: { POLICE: 'HOME' } }, 'HOME'],
    ['ROADS', { categoryMap: { POLICE: 'HOME' }, defaultCategory: 'GAD' }, 'GAD'],
    ['ROADS', {}, 'ROADS'],
  ])('%s with %j → %s', (category, mapping, expected) => {
    expect(portalCategory(category, { fieldMap: {}, ...mapping })).toBe(expected);
  });

  it('refuses a category the map does not know and no default covers', () => {
    expect(() =>
      portalCategory('ROADS', { fieldMap: {}, categoryMap: { POLICE: 'HOME' } }),
    ).toThrow(UnmappedCategoryError);
  });
});
