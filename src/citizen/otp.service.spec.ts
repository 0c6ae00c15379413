import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { CitizenSessions } from '../auth/citizen-sessions.service';
import type { HubConfig, NodeEnv } from '../platform/config/hub-config';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import type { OtpRepository } from './otp.repository';
import { OtpService } from './otp.service';

function otpService(nodeEnv: NodeEnv) {
  const repository = {
    count: () => Promise.resolve({ windowStart: new Date(), count: 1 }),
    replace: () => Promise.resolve(),
  } as unknown as OtpRepository;
  const pii = new PiiCipher({ current: randomBytes(32), previous: [], lookup: randomBytes(32) });
  const sent: string[] = [];
  const sms = {
    send: (_m: string, text: string) => {
      sent.push(text);
      return Promise.resolve();
    },
  };
  const config = { env: { nodeEnv } } as HubConfig;
  const service = new OtpService(config, repository, pii, {} as CitizenSessions, sms);
  return { service, sent };
}

describe('OtpService: the code in logs', () => {
  let logged: unknown[][];
  beforeEach(() => {
    logged = [];
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args);
      });
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(['production', 'test'] as const)('is never logged when NODE_ENV=%s', async (env) => {
    const { service, sent } = otpService(env);
    await service.send('9876543210', '203.0.113.9', 'req-1');
    const code = /^(\d{6})/.exec(sent[0])![1];
    expect(JSON.stringify(logged)).not.toContain(code);
  });

  it('is logged in development, with the request id and without the mobile', async () => {
    const { service, sent } = otpService('development');
    await service.send('9876543210', '203.0.113.9', 'req-2');
    const code = /^(\d{6})/.exec(sent[0])![1];
    expect(logged).toEqual([[{ correlationId: 'req-2', code }, expect.any(String)]]);
    expect(JSON.stringify(logged)).not.toContain('9876543210');
  });
});
