/**
 * The native intake field (CreateComplaintDto path) each Open311 argument becomes, so that a
 * refusal names what the client sent (docs/open311.md, "Fields").
 */
export const OPEN311_FIELD_OF: Record<string, string> = {
  category: 'service_code',
  subject: 'attribute[SUBJECT]',
  description: 'description',
  ministryCode: 'attribute[MINISTRY]',
  'complainant.name': 'first_name/last_name',
  'complainant.mobile': 'phone',
  'complainant.email': 'email',
  'complainant.language': 'attribute[LANGUAGE]',
  'location.stateCode': 'jurisdiction_id',
  'location.districtCode': 'lat/long',
  'location.pincode': 'zipcode',
  'location.address': 'address_string',
};

export function open311Field(nativePath: string): string {
  return OPEN311_FIELD_OF[nativePath] ?? nativePath;
}
