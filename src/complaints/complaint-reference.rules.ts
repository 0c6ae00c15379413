import {
  categoryByCode,
  isKnownState,
  isValidDistrict,
  ministryByCode,
} from '../platform/config/jurisdiction-lookup';
import type { HubConfig } from '../platform/config/hub-config';
import { FieldError, ValidationFailedError } from '../platform/errors/domain-error';
import type { CreateComplaintDto } from './dto/create-complaint.dto';

/** Codes must be ones the hub can route: the lists are GET /api/v1/categories and /jurisdictions. */
export function checkReferenceCodes(dto: CreateComplaintDto, config: HubConfig): void {
  const errors: FieldError[] = [];
  const { stateCode, districtCode } = dto.location;
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
  if (!isKnownState(config.jurisdictions, stateCode)) {
    errors.push({
      path: 'location.stateCode',
      message: 'stateCode is not an LGD state code (GET /api/v1/jurisdictions)',
    });
  } else if (districtCode && !isValidDistrict(config.jurisdictions, stateCode, districtCode)) {
    errors.push({
      path: 'location.districtCode',
      message: 'districtCode is not a district of this state (GET /api/v1/jurisdictions)',
    });
  }
  if (errors.length > 0) throw new ValidationFailedError(errors);
}
