// Chromium on Linux hands a site's notifications to the desktop's notification server
// (org.freedesktop.Notifications on the session D-Bus). This stands in for it on a private bus,
// so that a test clicks a notification the way a person does: Chromium then dispatches a real
// `notificationclick`, the only kind allowed to open or focus a window (one made by script in
// the worker is refused both). Chromium looks for the server when it starts: start this first
// and give Chromium `chromiumEnv()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Message, MessageType, sessionBus, type MessageBus } from '@jellybrick/dbus-next';

const SERVICE = 'org.freedesktop.Notifications';
const OBJECT_PATH = '/org/freedesktop/Notifications';
/** The action a click on the notification's body sends (Desktop Notifications spec). */
const DEFAULT_ACTION = 'default';
/** NotificationClosed's reason: closed by a call to CloseNotification. */
const CLOSED_BY_CALL = 3;

/** A notification on the fake desktop, as Chromium sent it. */
export interface DesktopNotification {
  id: number;
  title: string;
  body: string;
}

/**
 * A session bus of our own: no other bus client's messages, and no services started on demand
 * (the desktop session's config would start an accessibility bus for Chromium). Its policy is
 * the session config's: with a narrower one the D-Bus library's connection never completed.
 */
function busConfig(socketPath: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

async function startBusDaemon(dir: string): Promise<{ daemon: ChildProcess; address: string }> {
  const config = join(dir, 'bus.conf');
  await writeFile(config, busConfig(join(dir, 'bus')));
  const daemon = spawn(
    'dbus-daemon',
    [`--config-file=${config}`, '--nofork', '--print-address=1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const errors: string[] = [];
  daemon.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    daemon.once('error', reject);
    daemon.once('exit', (code) => {
      reject(new Error(`dbus-daemon exited with code ${String(code)}: ${errors.join('')}`));
    });
    createInterface({ input: daemon.stdout }).once('line', resolve);
  });
  return { daemon, address: address.trim() };
}

export class FakeNotificationCenter {
  private readonly open = new Map<number, DesktopNotification>();
  private nextId = 1;

  private constructor(
    private readonly dir: string,
    private readonly daemon: ChildProcess,
    private readonly bus: MessageBus,
    private readonly address: string,
  ) {
    bus.addMethodHandler((message) => this.answer(message));
  }

  static async start(): Promise<FakeNotificationCenter> {
    const dir = await mkdtemp(join(tmpdir(), 'callcenter-dbus-'));
    const { daemon, address } = await startBusDaemon(dir);
    const bus = sessionBus({ busAddress: address });
    const center = new FakeNotificationCenter(dir, daemon, bus, address);
    await bus.requestName(SERVICE, 0);
    return center;
  }

  /** The environment to launch Chromium with (this one's), so that it shows notifications here. */
  chromiumEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined) env[name] = value;
    }
    return { ...env, DBUS_SESSION_BUS_ADDRESS: this.address };
  }

  /** The notifications on screen now, oldest first. */
  shown(): DesktopNotification[] {
    return [...this.open.values()];
  }

  /** A click on the body of the notification titled `title`. */
  click(title: string): void {
    const notification = this.shown().find((shown) => shown.title === title);
    if (notification === undefined) throw new Error(`no notification titled ${title}`);
    this.bus.send(
      Message.newSignal(OBJECT_PATH, SERVICE, 'ActionInvoked', 'us', [
        notification.id,
        DEFAULT_ACTION,
      ]),
    );
  }

  async close(): Promise<void> {
    this.bus.disconnect();
    const exited = new Promise((resolve) => this.daemon.once('exit', resolve));
    this.daemon.kill();
    await exited;
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The server's side of the Desktop Notifications spec, as much as Chromium uses. */
  private answer(message: Message): boolean {
    if (message.type !== MessageType.METHOD_CALL || message.interface !== SERVICE) return false;
    switch (message.member) {
      case 'GetCapabilities':
        this.bus.send(Message.newMethodReturn(message, 'as', [['actions', 'body']]));
        return true;
      case 'GetServerInformation':
        this.bus.send(
          Message.newMethodReturn(message, 'ssss', ['callcenter-tests', 'callcenter', '1', '1.2']),
        );
        return true;
      case 'Notify': {
        const [, replacesId, , title, body] = message.body as [
          string,
          number,
          string,
          string,
          string,
        ];
        // A notification that replaces another keeps its id.
        const id = replacesId > 0 ? replacesId : this.nextId++;
        this.open.set(id, { id, title, body });
        this.bus.send(Message.newMethodReturn(message, 'u', [id]));
        return true;
      }
      case 'CloseNotification': {
        const [id] = message.body as [number];
        this.open.delete(id);
        this.bus.send(Message.newMethodReturn(message, '', []));
        this.bus.send(
          Message.newSignal(OBJECT_PATH, SERVICE, 'NotificationClosed', 'uu', [id, CLOSED_BY_CALL]),
        );
        return true;
      }
      default:
        this.bus.send(
          Message.newError(message, 'org.freedesktop.DBus.Error.UnknownMethod', message.member),
        );
        return true;
    }
  }
}
