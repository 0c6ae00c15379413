import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server on a local port that keeps every message it receives. */
async function startMailbox(): Promise<{
  port: number;
  mails: Mail[];
  /** Refuse the next message with a temporary error. */
  refuseNext(): void;
  close(): Promise<void>;
}> {
  const mails: Mail[] = [];
  let refuse = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      if (refuse) {
        refuse = false;
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 })),
        );
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    refuseNext: () => {
      refuse = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('citizen notifications by e-mail through a real SMTP server', () => {
  let hub: TestHub;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  beforeAll(async () => {
    mailbox = await startMailbox();
    hub = await startTestHub({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
        MAIL_FROM: 'Grievance hub <hub@example.test>',
      },
    });
  });
  afterAll(async () => {
    await hub.close();
    await mailbox.close();
  });

  it('mails the registration and the resolution, with nothing personal beyond the address', async () => {
    const grievance = lucknowStreetlight();
    const c = await lodgeDelivered(hub, grievance);
    const up = hub.sandboxes['UP-IGRS'];
    const remarks = 'Lineman visited House 14 and replaced the fuse';
    await up.pushChanges(up.recordStatus(c.externalRef, 'Nistarit', { remarks }));
    await waitForStatus(hub, c, 'RESOLVED');

    await waitFor(() => mailbox.mails.length >= 2, { what: 'two e-mails' });
    const subjects = mailbox.mails.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]);
    expect(subjects).toEqual([
      `Grievance ${c.trackingId}: registered`,
      `Grievance ${c.trackingId}: resolved`,
    ]);
    for (const mail of mailbox.mails) {
      expect(mail.to).toEqual([grievance.complainant.email]);
      expect(mail.from).toBe('hub@example.test');
      const [headers, ...rest] = mail.data.split(/\r?\n\r?\n/);
      const body = rest.join('\n');
      expect(body).toContain(c.trackingId);
      const { name, mobile, email } = grievance.complainant;
      const { address, pincode } = grievance.location;
      for (const personal of [
        name,
        mobile,
        email,
        address,
        pincode,
        remarks,
        grievance.description,
      ]) {
        expect(body).not.toContain(personal);
      }
      // The address is where the mail goes; nothing else personal sits in the headers.
      for (const personal of [name, mobile, address]) expect(headers).not.toContain(personal);
    }
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    const records = await hub.prisma.notification.findMany({
      where: { complaintId: row.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(records.map((n) => [n.kind, n.state, n.channels])).toEqual([
      ['registered', 'SENT', { email: 'sent', sms: 'sent' }],
      ['resolved', 'SENT', { email: 'sent', sms: 'sent' }],
    ]);
    // The SMS log sink and every other log line: no mobile, no e-mail, no name.
    const logs = hub.logs.join('\n');
    for (const personal of [
      grievance.complainant.mobile,
      grievance.complainant.email,
      grievance.complainant.name,
    ]) {
      expect(logs).not.toContain(personal);
    }
    expect(logs).toContain('SMS (log sink)');
  });

  it('keeps a notification record without e-mail when the citizen gave no address', async () => {
    const grievance = lucknowStreetlight({
      complainant: { name: 'Ravi Kumar', mobile: '9123456780', language: 'en' },
    });
    const before = mailbox.mails.length;
    const c = await lodgeDelivered(hub, grievance);
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    const record = await waitFor(
      () => hub.prisma.notification.findFirst({ where: { complaintId: row.id, state: 'SENT' } }),
      { what: 'the notification record' },
    );
    expect(record.channels).toEqual({ email: 'skipped:no-address', sms: 'sent' });
    expect(mailbox.mails.length).toBe(before);
  });

  it('retries a refused mail, once delivered it is sent and counted as two attempts', async () => {
    mailbox.refuseNext();
    const before = mailbox.mails.length;
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
    });
    const sent = await waitFor(
      () => hub.prisma.notification.findFirst({ where: { complaintId: row.id, state: 'SENT' } }),
      { what: 'the registration notice sent after a retry', timeoutMs: 30_000 },
    );
    expect(sent).toMatchObject({
      attempts: 2,
      lastError: null,
      channels: { email: 'sent', sms: 'sent' },
    });
    expect(mailbox.mails.length - before).toBe(1);
  });
});
