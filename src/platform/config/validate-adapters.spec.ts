import type { PortalAdapter } from '../../../adapters/adapter';
import { missingMethods } from './validate-adapters';

const fn = () => Promise.reject(new Error('not called'));
const adapter = (methods: string[]): PortalAdapter =>
  ({
    kind: 'k',
    submit: fn,
    healthCheck: fn,
    ...Object.fromEntries(methods.map((m) => [m, fn])),
  }) as unknown as PortalAdapter;
const portal = (mode: 'push' | 'pull', lookup?: 'none') => ({ code: 'P', kind: 'k', mode, lookup });

describe('missingMethods: what a portal entry asks of its adapter', () => {
  it.each([
    ['pull with fetchUpdates and lookup', portal('pull'), ['fetchUpdates', 'lookup'], []],
    ['pull without fetchUpdates', portal('pull'), ['lookup'], ['mode']],
    ['push with a status table', portal('push'), ['mapStatus', 'lookup'], []],
    ['push with its own webhook parser', portal('push'), ['parseWebhook', 'lookup'], []],
    ['push with neither', portal('push'), ['lookup'], ['mode']],
    ['no lookup, not declared', portal('push'), ['mapStatus'], ['lookup']],
    ['no lookup, lookup: none declared', portal('push', 'none'), ['mapStatus'], []],
    [
      'lookup: none on an adapter that has one',
      portal('push', 'none'),
      ['mapStatus', 'lookup'],
      ['lookup'],
    ],
  ])('%s', (_name, entry, methods, fields) => {
    expect(missingMethods(entry, adapter(methods)).map((i) => i.field)).toEqual(fields);
  });
});
