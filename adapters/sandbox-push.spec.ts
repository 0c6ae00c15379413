import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../test/support/wait';
import { SandboxPusher } from './sandbox-push';
import type { SandboxStatusChange } from './sandbox-store';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body exactly as sent: the signature covers these bytes. */
  raw: string;
  body: unknown;
}

/** A stand-in for the hub: records every request and answers with the statuses it is told to. */
class FakeHub {
  readonly received: Received[] = [];
  /** Answers for the next requests, in order; then 202. */
  answers: number[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      this.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as unknown,
      });
      const status = this.answers.shift() ?? 202;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ answered: status }));
    });
  });

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The events of every request, in arrival order (a batch contributes its events). */
  eventIds(): string[] {
    return this.received.flatMap((r) => {
      const b = r.body as { eventId?: string; events?: { eventId: string }[] };
      return b.events ? b.events.map((e) => e.eventId) : [b.eventId as string];
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections(); // fetch keeps connections alive
    });
  }
}

const SECRET = 'portal-shared-secret';

let seq = 100;
function change(
  externalRef: string,
  extra: Partial<SandboxStatusChange> = {},
): SandboxStatusChange {
  return {
    seq: ++seq,
    externalRef,
    nativeStatus: 'Under Examination',
    at: '2026-03-01T10:00:00.000Z',
    ...extra,
  };
}

describe('SandboxPusher', () => {
  let hub: FakeHub;
  let pusher: SandboxPusher;

  beforeEach(async () => {
    hub = new FakeHub();
    await hub.start();
    // The same event id scheme the kit uses by default.
    pusher = new SandboxPusher((c) => `EVT-${c.seq}`);
    pusher.setTarget({ hubUrl: hub.url, portalCode: 'cpgrams', secret: SECRET });
  });

  afterEach(async () => {
    pusher.close();
    await hub.close();
  });

  describe('send()', () => {
    it('posts one change as a single event, signed over timestamp + "." + body', async () => {
      const c = change('CPG/2026/000001', {
        nativeStatus: 'Case Disposed',
        remarks: 'Matter resolved.',
      });

      const result = await pusher.send([c]);

      expect(result).toEqual({ status: 202, body: { answered: 202 } });
      expect(hub.received).toHaveLength(1);
      const [req] = hub.received;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/api/v1/portals/cpgrams/status-updates');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.body).toEqual({
        eventId: `EVT-${c.seq}`,
        externalRef: 'CPG/2026/000001',
        status: 'Case Disposed',
        occurredAt: '2026-03-01T10:00:00.000Z',
        remarks: 'Matter resolved.',
      });

      // Unix seconds, close to now (the hub refuses timestamps more than 300 s off).
      const timestamp = req.headers['x-hub-timestamp'] as string;
      expect(timestamp).toMatch(/^\d+$/);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
      // Recomputed independently: HMAC-SHA256(secret, timestamp + "." + raw body), hex.
      const expected = createHmac('sha256', SECRET).update(`${timestamp}.${req.raw}`).digest('hex');
      expect(req.headers['x-hub-signature']).toBe(`sha256=${expected}`);
    });

    it('posts several changes as one { events: [...] } batch, in order', async () => {
      const a = change('A', { nativeStatus: 'Forwarded', transferredTo: 'District Office' });
      const b = change('B');

      await pusher.send([a, b]);

      expect(hub.received).toHaveLength(1);
      expect(hub.received[0].body).toEqual({
        events: [
          {
            eventId: `EVT-${a.seq}`,
            externalRef: 'A',
            status: 'Forwarded',
            occurredAt: a.at,
            transferredTo: 'District Office',
          },
          { eventId: `EVT-${b.seq}`, externalRef: 'B', status: b.nativeStatus, occurredAt: b.at },
        ],
      });
      const timestamp = hub.received[0].headers['x-hub-timestamp'] as string;
      const expected = createHmac('sha256', SECRET)
        .update(`${timestamp}.${hub.received[0].raw}`)
        .digest('hex');
      expect(hub.received[0].headers['x-hub-signature']).toBe(`sha256=${expected}`);
    });

    it('leaves out remarks and transferredTo when the change has none', async () => {
      await pusher.send([change('A')]);
      expect(Object.keys(hub.received[0].body as object).sort()).toEqual([
        'eventId',
        'externalRef',
        'occurredAt',
        'status',
      ]);
    });

    it('uses the event id function it was given', async () => {
      const custom = new SandboxPusher((c) => `IGRS-${c.externalRef}-${c.seq}`);
      custom.setTarget({ hubUrl: hub.url, portalCode: 'up-igrs', secret: SECRET });
      const c = change('X1');

      await custom.send([c]);

      expect(custom.eventId(c)).toBe(`IGRS-X1-${c.seq}`);
      expect(hub.eventIds()).toEqual([`IGRS-X1-${c.seq}`]);
      custom.close();
    });

    it('encodes the portal code as one path segment', async () => {
      pusher.setTarget({ hubUrl: hub.url, portalCode: 'state/mh', secret: SECRET });
      await pusher.send([change('A')]);
      expect(hub.received[0].url).toBe('/api/v1/portals/state%2Fmh/status-updates');
    });

    it('returns the hub answer without retrying, whatever the status', async () => {
      hub.answers = [503];
      expect((await pusher.send([change('A')])).status).toBe(503);
      expect(hub.received).toHaveLength(1);
    });

    it('refuses to send without a target', async () => {
      pusher.setTarget(null);
      expect(pusher.configured).toBe(false);
      await expect(pusher.send([change('A')])).rejects.toThrow(/no push target/);
    });
  });

  // pusher.idle() resolves once no automatic push is sending, waiting to retry or delayed: the
  // tests wait for that, never for a fixed time, so "nothing more was sent" is a fact.
  describe('auto() with push faults', () => {
    it('sends each change once when there is no fault', async () => {
      const a = change('A');
      pusher.auto(a);
      await pusher.idle();
      expect(hub.eventIds()).toEqual([`EVT-${a.seq}`]);
      expect(hub.received[0].body).toMatchObject({ eventId: `EVT-${a.seq}`, externalRef: 'A' });
    });

    it('drop: sends nothing for that change, and the next one normally', async () => {
      pusher.injectFaults(['drop']);
      const a = change('A');
      const b = change('B');

      pusher.auto(a);
      pusher.auto(b);
      await pusher.idle();

      expect(hub.eventIds()).toEqual([`EVT-${b.seq}`]);
    });

    it('duplicate: sends the same event twice, and not more', async () => {
      pusher.injectFaults(['duplicate']);
      const a = change('A');

      pusher.auto(a);
      await pusher.idle();

      expect(hub.eventIds()).toEqual([`EVT-${a.seq}`, `EVT-${a.seq}`]);
      expect(hub.received[1].raw).toBe(hub.received[0].raw);
    });

    it('reorder: holds the change and sends it after the next one, as a separate push', async () => {
      pusher.injectFaults(['reorder']);
      const a = change('A', { nativeStatus: 'Under Examination' });
      const b = change('A', { nativeStatus: 'Case Disposed', remarks: 'done' });

      pusher.auto(a);
      await pusher.idle();
      expect(hub.received).toHaveLength(0); // held until something else happens

      pusher.auto(b);
      await pusher.idle();

      // Two single-event requests: the later change first, then the held one.
      expect(hub.eventIds()).toEqual([`EVT-${b.seq}`, `EVT-${a.seq}`]);
      expect(hub.received.every((r) => !('events' in (r.body as object)))).toBe(true);
    });

    it('reorder twice in a row: loses no change, held ones go out after the next', async () => {
      pusher.injectFaults(['reorder', 'reorder']);
      const [a, b, c] = [change('A'), change('B'), change('C')];

      pusher.auto(a); // held
      pusher.auto(b); // held as well: A must still go out at some point
      pusher.auto(c);
      await pusher.idle();

      expect(hub.eventIds()).toEqual([`EVT-${c.seq}`, `EVT-${a.seq}`, `EVT-${b.seq}`]);
    });

    it('delay: sends only once the delay has passed', async () => {
      // Fake clock for the delay; the HTTP exchange after it runs on the real event loop.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
      const send = jest.spyOn(pusher, 'send');
      try {
        pusher.injectFaults(['delay'], 5_000);
        const a = change('A');

        pusher.auto(a);
        await jest.advanceTimersByTimeAsync(4_999);
        expect(send).not.toHaveBeenCalled();
        await jest.advanceTimersByTimeAsync(1);
        expect(send).toHaveBeenCalledTimes(1);
        jest.useRealTimers();
        await pusher.idle();

        expect(hub.eventIds()).toEqual([`EVT-${a.seq}`]);
      } finally {
        jest.useRealTimers();
        send.mockRestore();
      }
    });

    it('takes faults one per change, then pushes normally', async () => {
      pusher.injectFaults(['drop', 'duplicate']);
      const [a, b, c] = [change('A'), change('B'), change('C')];

      pusher.auto(a); // dropped
      pusher.auto(b); // twice
      await pusher.idle();
      pusher.auto(c); // faults used up: once
      await pusher.idle();

      expect(hub.eventIds()).toEqual([`EVT-${b.seq}`, `EVT-${b.seq}`, `EVT-${c.seq}`]);
    });
  });

  describe('retries', () => {
    it('retries a 5xx and delivers the event once the hub answers 202, then stops', async () => {
      hub.answers = [503, 202];
      const a = change('A');

      pusher.auto(a);
      await pusher.idle();

      expect(hub.received.map((r) => r.raw)).toEqual([hub.received[0].raw, hub.received[0].raw]);
      expect(hub.eventIds()).toEqual([`EVT-${a.seq}`, `EVT-${a.seq}`]);
    }, 10_000);

    it('retries a 429 too', async () => {
      hub.answers = [429, 202];
      pusher.auto(change('A'));
      await pusher.idle();
      expect(hub.received).toHaveLength(2);
    }, 10_000);

    it('does not retry a 4xx', async () => {
      hub.answers = [422];
      pusher.auto(change('A'));
      await pusher.idle();
      expect(hub.received).toHaveLength(1);
    });

    it('stops retrying after a reset (an old event never reaches the hub later)', async () => {
      hub.answers = [503, 503, 503];
      pusher.auto(change('A'));
      await waitFor(() => hub.received.length === 1, { what: 'the first attempt' });
      pusher.reset();
      await pusher.idle();
      expect(hub.received).toHaveLength(1);
    });

    it('stops retrying once closed', async () => {
      hub.answers = [503, 503, 503];
      pusher.auto(change('A'));
      await waitFor(() => hub.received.length === 1, { what: 'the first attempt' });
      pusher.close();
      await pusher.idle();
      expect(hub.received).toHaveLength(1);
    });
  });

  describe('reset()', () => {
    it('cancels a pending delayed push', async () => {
      pusher.injectFaults(['delay'], 60_000);
      const a = change('A');
      pusher.auto(a);

      pusher.reset();
      await pusher.idle(); // the delayed push ended with the reset, without sending
      expect(hub.received).toHaveLength(0);

      // The pusher still works, and its faults were cleared: the next change goes out at once.
      const b = change('B');
      pusher.auto(b);
      await pusher.idle();
      expect(hub.eventIds()).toEqual([`EVT-${b.seq}`]);
    });

    it('forgets a change held for reordering', async () => {
      pusher.injectFaults(['reorder']);
      pusher.auto(change('A'));

      pusher.reset();
      const b = change('B');
      pusher.auto(b);
      await pusher.idle();

      expect(hub.eventIds()).toEqual([`EVT-${b.seq}`]);
    });
  });
});
