/**
 * The complainant's personal data as sealed in `complaints.complainant_cipher` at intake and
 * opened by delivery, notifications and the staff unmask view. The one place its shape is
 * written; the PII cipher stores it as JSON.
 */
export interface SealedComplainant {
  name: string;
  mobile: string;
  email: string | null;
  address: string;
}
