import type { PortalHttpClient } from '../../../adapters/adapter';
import { InvalidAdapterOptionsError } from '../../../adapters/options-error';
import { createAdapter } from '../../../adapters/registry';
import type { ConfigIssue } from './config-error';
import type { PortalConfig } from './hub-config';

/** Adapters are only built, never called, here: any call would be a bug. */
const noNetwork: PortalHttpClient = {
  request: () => Promise.reject(new Error('config validation makes no portal calls')),
};

/**
 * Builds each portal's adapter once so an unknown kind or a bad `options` block stops the hub at
 * start with the field named, rather than failing later inside the application.
 */
export function validateAdapters(portals: PortalConfig[], file: string): ConfigIssue[] {
  return portals.flatMap((portal, index): ConfigIssue[] => {
    try {
      createAdapter(portal, { http: noNetwork });
      return [];
    } catch (error) {
      if (error instanceof InvalidAdapterOptionsError) {
        return error.issues.map((i) => ({
          file,
          path: `portals[${index}].${i.path}`,
          message: i.message,
        }));
      }
      return [{ file, path: `portals[${index}].kind`, message: (error as Error).message }];
    }
  });
}
