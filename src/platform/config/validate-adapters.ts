import type { PortalAdapter, PortalHttpClient } from '../../../adapters/adapter';
import { InvalidAdapterOptionsError } from '../../../adapters/options-error';
import { createAdapter } from '../../../adapters/registry';
import type { ConfigIssue } from './config-error';
import type { PortalConfig } from './hub-config';

/** Adapters are only built, never called, here: any call would be a bug. */
const noNetwork: PortalHttpClient = {
  request: () => Promise.reject(new Error('config validation makes no portal calls')),
};

/**
 * Builds each portal's adapter once so an unknown kind, a bad `options` block or an entry the
 * adapter cannot serve stops the hub at start with the field named, rather than failing later
 * inside the application.
 */
export function validateAdapters(portals: PortalConfig[], file: string): ConfigIssue[] {
  return portals.flatMap((portal, index): ConfigIssue[] => {
    const at = (field: string) => `portals[${index}].${field}`;
    try {
      const adapter = createAdapter(portal, { http: noNetwork });
      return missingMethods(portal, adapter).map((i) => ({
        file,
        path: at(i.field),
        message: i.message,
      }));
    } catch (error) {
      if (error instanceof InvalidAdapterOptionsError) {
        return error.issues.map((i) => ({ file, path: at(i.path), message: i.message }));
      }
      return [{ file, path: at('kind'), message: (error as Error).message }];
    }
  });
}

/** The methods are the capabilities: what the entry asks of the portal, its adapter must have. */
export function missingMethods(
  portal: Pick<PortalConfig, 'code' | 'kind' | 'mode' | 'lookup'>,
  adapter: PortalAdapter,
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  const what = `Portal ${portal.code} (kind ${portal.kind})`;
  if (portal.mode === 'pull' && !adapter.fetchUpdates) {
    issues.push({
      field: 'mode',
      message: `${what} cannot be polled: its adapter has no fetchUpdates (set mode: push, or configure the updates feed)`,
    });
  }
  if (portal.mode === 'push' && !adapter.mapStatus && !adapter.parseWebhook) {
    issues.push({
      field: 'mode',
      message: `${what} cannot take pushes: its adapter has neither a status table (mapStatus) nor a webhook parser`,
    });
  }
  if (!adapter.lookup && portal.lookup !== 'none') {
    issues.push({
      field: 'lookup',
      message: `${what} has no lookup: declare lookup: none to accept at-least-once delivery (a re-sent grievance is flagged to staff as a possible duplicate)`,
    });
  }
  if (adapter.lookup && portal.lookup === 'none') {
    issues.push({
      field: 'lookup',
      message: `${what} has a lookup: remove lookup: none (it would risk duplicates for nothing)`,
    });
  }
  return issues;
}
