/** One entry of the spec's error list. `code` is usually the HTTP status, sometimes more precise. */
export interface Open311ErrorEntry {
  code: number;
  description: string;
}

/**
 * An Open311 refusal: the spec's statuses (400 invalid, 403 api_key, 404 not found) with its
 * `errors` array, one entry per problem. Never carries a citizen's personal data.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly errors: Open311ErrorEntry[],
  ) {
    super(errors.map((e) => e.description).join('; '));
    this.name = 'Open311Error';
  }

  static of(status: 400 | 403 | 404, description: string): Open311Error {
    return new Open311Error(status, [{ code: status, description }]);
  }
}
