// Integration tests boot the hub and wait on real queues: give each test and hook a minute.
// (Jest 30 ignores `testTimeout` inside a project entry, so it is set here.)
jest.setTimeout(60_000);
