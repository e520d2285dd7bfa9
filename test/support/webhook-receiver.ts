// A real partner endpoint on localhost for the webhook tests: verifies every delivery with the official
// `standardwebhooks` library, records it, and can be told to answer 5xx, hang, answer 410 or go away.
import http from 'node:http';
import type net from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  webhookId: string;
  timestamp: number;
  signatures: string[];
  body: { type: string; timestamp: string; data: { caseId: string; seq: number; [k: string]: unknown } };
  rawBody: string;
  /** Indexes (into the receiver's secrets) of every secret that verified this delivery. */
  verifiedBy: number[];
  answered: number | 'hang';
  at: number;
}

export type Answer = { status: number } | { hang: true };

/** Picks the answer for one delivery from what it is; `tries` counts earlier arrivals of the same webhook-id. */
export type Decide = (d: { webhookId: string; seq: number; tries: number }) => Answer | undefined;

export class WebhookReceiver {
  readonly received: Received[] = [];
  private script: { answer: Answer; times: number }[] = [];
  private server?: http.Server;
  private sockets = new Set<net.Socket>();
  private waiters: (() => void)[] = [];
  private arrivals = new Map<string, number>();
  port = 0;
  /** Consulted before the respond() script; undefined falls through to it. */
  decide?: Decide;

  /** `secrets` may change later (rotation): each delivery is checked against all of them. */
  constructor(public secrets: string[] = []) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Deliveries answered 2xx, in arrival order. */
  get accepted(): Received[] {
    return this.received.filter((r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300);
  }

  /** Starts listening; after stop() it restarts on the same port, so the endpoint URL stays valid. */
  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every connection, hanging ones included: the next attempt gets ECONNREFUSED. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** The next `times` deliveries get this answer instead of 204 (then back to normal). */
  respond(answer: Answer, times = Number.POSITIVE_INFINITY): void {
    this.script.push({ answer, times });
  }

  /** Answer every delivery normally (204) again. */
  reset(): void {
    this.script = [];
  }

  async waitFor(predicate: (r: WebhookReceiver) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`webhook receiver: timed out waiting for ${what} (received ${this.received.length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private nextAnswer(): Answer {
    const head = this.script[0];
    if (!head) return { status: 204 };
    if (--head.times <= 0) this.script.shift();
    return head.answer;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const verifiedBy = this.secrets.flatMap((secret, i) => {
        try {
          new Webhook(secret).verify(rawBody, headers);
          return [i];
        } catch {
          return [];
        }
      });
      const body = JSON.parse(rawBody);
      const webhookId = headers['webhook-id'];
      const tries = this.arrivals.get(webhookId) ?? 0;
      this.arrivals.set(webhookId, tries + 1);
      const answer: Answer = !verifiedBy.length
        ? { status: 400 }
        : this.decide?.({ webhookId, seq: body.data?.seq, tries }) ?? this.nextAnswer();
      this.received.push({
        webhookId,
        timestamp: Number(headers['webhook-timestamp']),
        signatures: (headers['webhook-signature'] ?? '').split(' '),
        body,
        rawBody,
        verifiedBy,
        answered: 'hang' in answer ? 'hang' : answer.status,
        at: Date.now(),
      });
      for (const w of this.waiters.splice(0)) w();
      if ('hang' in answer) return; // never answer: the sender's request timeout must fire
      res.writeHead(answer.status).end();
    });
  }
}
