// Chromium subscribes to Web Push through Google's GCM/FCM servers, out of reach here. This
// stands in for them on loopback (Chromium's --gcm-* flags point it here): the device check-in
// (a protobuf answer with an id and a token) and the registration (a token as text). Chromium
// then makes a real subscription (its endpoint names FCM with that token, and nothing ever sends
// to it in the tests); pushes are delivered to the worker over the DevTools Protocol instead.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One registration Chromium asked for: `sender` is the server's VAPID public key. */
export interface GcmRegistration {
  sender: string;
  token: string;
}

/** A protobuf fixed64 field. */
function fixed64(field: number, value: bigint): Buffer {
  const bytes = Buffer.alloc(9);
  bytes[0] = (field << 3) | 1;
  bytes.writeBigUInt64LE(value, 1);
  return bytes;
}

/** AndroidCheckinResponse { stats_ok: true, android_id, security_token } (checkin.proto). */
const CHECKIN_ANSWER = Buffer.concat([
  Buffer.from([0x08, 0x01]),
  fixed64(7, 4_242_424_242_424n),
  fixed64(8, 9_876_543_210_987n),
]);

export class FakeGcm {
  readonly registrations: GcmRegistration[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGcm> {
    // Set once the server listens (the instance needs its address).
    const sink: { fake?: FakeGcm } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url?.startsWith('/checkin') === true) {
          response.writeHead(200, { 'content-type': 'application/x-protobuf' });
          response.end(CHECKIN_ANSWER);
          return;
        }
        if (request.url?.startsWith('/register') === true) {
          const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
          const token = `fake-${String(sink.fake?.registrations.length ?? 0)}-${Date.now()}`;
          // Chromium registers its own instance id too; only web push registrations count.
          if (form.get('X-subtype')?.startsWith('wp:') === true) {
            sink.fake?.registrations.push({ sender: form.get('sender') ?? '', token });
          }
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end(`token=${token}`);
          return;
        }
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink.fake = new FakeGcm(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink.fake;
  }

  /** Chromium's flags to use this instead of Google's servers (and no connection elsewhere). */
  chromiumFlags(): string[] {
    return [
      `--gcm-checkin-url=${this.url}/checkin`,
      `--gcm-registration-url=${this.url}/register`,
      // The message channel is never needed (pushes come over the DevTools Protocol): a
      // loopback port nothing listens on.
      '--gcm-mcs-endpoint=https://127.0.0.1:9',
    ];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
  }
}
