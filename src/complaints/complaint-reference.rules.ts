import {
  categoryByCode,
  districtByCode,
  ministryByCode,
  stateByCode,
  statesOfPincode,
} from '../platform/config/jurisdiction-lookup';
import type { HubConfig, Jurisdictions } from '../platform/config/hub-config';
import { FieldError, ValidationFailedError } from '../platform/errors/domain-error';
import type { CreateComplaintDto } from './dto/create-complaint.dto';

/** Codes must be ones the hub can route: the lists are GET /api/v1/categories and /jurisdictions. */
export function checkReferenceCodes(dto: CreateComplaintDto, config: HubConfig): void {
  const errors: FieldError[] = [];
  if (!categoryByCode(config.categories, dto.category)) {
    errors.push({
      path: 'category',
      message: 'category is not a known category (GET /api/v1/categories)',
    });
  }
  if (dto.ministryCode && !ministryByCode(config.ministries, dto.ministryCode)) {
    errors.push({
      path: 'ministryCode',
      message: 'ministryCode is not a known ministry (GET /api/v1/categories)',
    });
  }
  errors.push(...locationProblems(config.jurisdictions, dto.location));
  if (errors.length > 0) throw new ValidationFailedError(errors);
}

export interface Place {
  stateCode: string;
  districtCode?: string | null;
  pincode: string;
}

/**
 * What is wrong with a place, one message per wrong field: the district must be one of the
 * state's (LGD), and the PIN code's sorting district must reach into the state (India Post).
 * When district and PIN code agree on another state, the state code is the field named.
 * Only the first three digits of the PIN code are echoed.
 */
export function locationProblems(j: Jurisdictions, place: Place): FieldError[] {
  const { stateCode, districtCode, pincode } = place;
  const state = stateByCode(j, stateCode);
  if (!state)
    return [
      {
        path: 'location.stateCode',
        message: 'stateCode is not an LGD state code (GET /api/v1/jurisdictions)',
      },
    ];
  const named = (code: string) => `${stateByCode(j, code)?.name ?? code} (${code})`;
  const prefix = pincode.slice(0, 3);
  const pinStates = statesOfPincode(j, pincode);
  const district = districtCode ? districtByCode(j, districtCode) : undefined;
  const errors: FieldError[] = [];

  if (
    district &&
    district.stateCode !== stateCode &&
    pinStates.length === 1 &&
    pinStates[0] === district.stateCode
  ) {
    return [
      {
        path: 'location.stateCode',
        message: `${stateCode} is ${state.name}, but district ${district.code} (${district.name}) and PIN codes starting ${prefix} are in ${named(district.stateCode)}`,
      },
    ];
  }
  if (districtCode && !district) {
    errors.push({
      path: 'location.districtCode',
      message: `${districtCode} is not an LGD district code (GET /api/v1/jurisdictions)`,
    });
  } else if (district && district.stateCode !== stateCode) {
    errors.push({
      path: 'location.districtCode',
      message: `${district.code} is ${district.name} in ${named(district.stateCode)}, not a district of ${named(stateCode)}`,
    });
  }
  if (!pinStates.includes(stateCode)) {
    errors.push({
      path: 'location.pincode',
      message:
        pinStates.length === 0
          ? `PIN codes starting ${prefix} belong to no state or union territory`
          : `PIN codes starting ${prefix} belong to ${pinStates.map(named).join(' or ')}, not to ${named(stateCode)}`,
    });
  }
  return errors;
}
