export type StaffRole = 'staff' | 'admin';
export const STAFF_ROLES: readonly StaffRole[] = ['staff', 'admin'];

/** Who is calling a staff endpoint: set on the request by StaffAuthGuard. */
export interface StaffPrincipal {
  keyId: string;
  name: string;
  role: StaffRole;
}

/** admin may do everything staff may. */
export function roleAllows(held: StaffRole, required: StaffRole): boolean {
  return held === 'admin' || held === required;
}
