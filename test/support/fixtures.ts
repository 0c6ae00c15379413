/** A citizen's grievance about streetlights in Lucknow (UP, LGD district 162). */
export function lucknowStreetlight(overrides: Record<string, unknown> = {}) {
  return {
    complainant: {
      name: 'Asha Verma',
      mobile: '9876543210',
      email: 'asha.verma@example.in',
      language: 'hi',
    },
    subject: 'Streetlights not working for 3 weeks',
    description: 'All streetlights on the main road of Sector 12 have been off for three weeks.',
    category: 'MUNICIPAL_SERVICES',
    location: {
      stateCode: '09',
      districtCode: '162',
      pincode: '226010',
      address: 'House 14, Sector 12, Gomti Nagar',
    },
    ministryCode: null,
    consent: true,
    ...overrides,
  };
}

/** A grievance against a central ministry: a railway refund. */
export function railwayRefund(overrides: Record<string, unknown> = {}) {
  return lucknowStreetlight({
    subject: 'Ticket refund not received',
    description: 'My cancelled e-ticket refund has not been credited for 45 days.',
    category: 'RAILWAYS',
    ...overrides,
  });
}
