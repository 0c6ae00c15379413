import type { HubConfig } from '../platform/config/hub-config';
import { portalName } from '../platform/config/hub-config';
import { districtByCode, stateByCode } from '../platform/config/jurisdiction-lookup';
import type { PublicRequestRow, PublicUpdateRow } from './open311.repository';
import { extendedStatus, openOrClosed, statusNote } from './open311-status.rules';
import type { Open311Value } from '../../adapters/open311/georeport';

/** W3C datetime in UTC, to the second (the spec's examples: 2010-01-01T00:00:00Z). */
export const w3c = (d: Date | null): string | null =>
  d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;

/** "Lucknow, Uttar Pradesh": the district and state, most specific first, as `address` asks. */
export function publicAddress(config: HubConfig, stateCode: string, districtCode: string | null) {
  const state = stateByCode(config.jurisdictions, stateCode)?.name ?? stateCode;
  const district = districtCode ? districtByCode(config.jurisdictions, districtCode)?.name : null;
  return district ? `${district}, ${state}` : state;
}

/**
 * A request as anyone may read it: every field of the spec's table, those the hub does not publish
 * (personal data, free text, coordinates, the exact PIN) present and empty, as the spec's own
 * example has them. `description` carries the subject only when OPEN311_PUBLIC_TEXT is on.
 */
export function publicRequest(config: HubConfig, row: PublicRequestRow): Open311Value {
  const status = openOrClosed(row.status);
  const category = config.categories.find((c) => c.code === row.category);
  return {
    service_request_id: row.trackingId,
    status,
    status_notes: statusNote(row.status),
    service_name: category?.label.en ?? row.category,
    service_code: row.category,
    description: config.env.open311PublicText ? (row.subject ?? null) : null,
    agency_responsible: portalName(config, row.primaryPortalCode),
    service_notice: null,
    requested_datetime: w3c(row.createdAt),
    updated_datetime: w3c(
      status === 'closed'
        ? (row.closedAt ?? row.statusAt ?? row.createdAt)
        : (row.statusAt ?? row.createdAt),
    ),
    expected_datetime: w3c(row.slaDueAt),
    address: publicAddress(config, row.stateCode, row.districtCode),
    address_id: null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}

/** One of mySociety's request_update entries (servicerequestupdates). */
export function publicUpdate(row: PublicUpdateRow): Open311Value {
  return {
    update_id: row.id,
    service_request_id: row.complaint.trackingId,
    status: extendedStatus(row.status),
    updated_datetime: w3c(row.occurredAt),
    description: statusNote(row.status),
    media_url: null,
    external_status_code: row.status,
  };
}
