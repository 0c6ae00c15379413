// Set-up shared by the adapters' contract specs, which pin each portal's HTTP contract with nock.
// Only nock specs (the contract specs, portal-client.spec) import this file: loading nock intercepts
// every HTTP request in the worker.
// Test-only: the build leaves adapters/testing out.
import nock from 'nock';
import { CALL, TEST_CREDENTIAL } from './fixtures';

/**
 * Nock for the enclosing describe block: no real network, every mocked call used by the end of
 * each test. Returns a scope on `origin` that matches only calls carrying the credential and
 * correlation id the fixtures configure, so every contract test checks the adapter sends both.
 */
export function mockPortal(origin: string): () => nock.Scope {
  useNock();
  const reqheaders = {
    [TEST_CREDENTIAL.header.toLowerCase()]: TEST_CREDENTIAL.value,
    'x-correlation-id': CALL.correlationId,
  };
  return () => nock(origin, { reqheaders });
}

/** Nock for the enclosing describe block: no real network, every mocked call used by each test. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
