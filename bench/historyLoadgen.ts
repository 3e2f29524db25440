// The history scenario's load generator: clients that re-sync the way the apps do, in a loop
// (beside a delivery) or all at once after a node restart (the reconnect storm). Like
// bench/loadgen.ts, one process holds thousands of sockets and several run at once, so the
// bench's own event loop is not what limits the storm.
import type { SessionSyncPayload } from '@callcenter/shared';
import {
  ask,
  syncPages,
  type AnyRoleEvents,
  type ClientSocket,
  type OkAnswer,
} from '@callcenter/client';
import { backoffMs, login } from './historyClient';
import type { BenchAccount } from './loadgen';
import { serve } from './lib/ipc';
import { connectSocket } from '@callcenter/devstack/sockets';
import { preciseNow } from './lib/stats';
import { count, delay, pool } from './lib/work';

/** A handshake that hangs is given up (and retried) after this, as the desktop app does. */
const CONNECT_TIMEOUT_MS = 8_000;

export interface ResyncResult {
  /** One per answered `session.sync` (one page each), ms. */
  latencies: number[];
  failures: Record<string, number>;
}

export interface StormResult {
  /** Per re-synced client: from the command (the new node ready) until its sync answered, ms. */
  syncedAfter: number[];
  /** Per re-synced client: its `session.sync` round trips (every page), ms. */
  syncLatencies: number[];
  /** Refused or failed attempts that were tried again, by reason. */
  retries: Record<string, number>;
  /** Clients that never re-synced, by reason. */
  failures: Record<string, number>;
}

export interface HistoryLoadgenApi {
  /** Logs `accounts` in; their tokens stay here, in `group`. */
  login(arg: {
    url: string;
    group: string;
    accounts: BenchAccount[];
    concurrency: number;
  }): Promise<number>;
  /** Opens a socket for each client of `group`. */
  connect(arg: {
    url: string;
    group: string;
    concurrency: number;
  }): Promise<{ connected: number; failures: Record<string, number> }>;
  connectedCount(arg: { group: string }): Promise<number>;
  /**
   * Each client re-syncs in a loop, at most one sync per `intervalMs` (a user's budget is two
   * a second): a full sync, then one from `oldCursor`, and so on.
   */
  resync(arg: {
    group: string;
    durationMs: number;
    intervalMs: number;
    oldCursor: number;
  }): Promise<ResyncResult>;
  /**
   * Every client of `group` at once: a new socket with its token (retried with back-off when
   * refused, as the apps do), then `session.sync` from `since` until `hasMore` is false.
   */
  storm(arg: {
    url: string;
    group: string;
    since: number;
    deadlineMs: number;
  }): Promise<StormResult>;
  disconnect(arg: { group: string }): Promise<number>;
}

/** Agents or customers: both re-sync the same way. */
type Socket = ClientSocket<AnyRoleEvents>;

interface Client {
  token: string;
  socket: Socket | null;
}

const groups = new Map<string, Client[]>();

function clientsOf(group: string): Client[] {
  const clients = groups.get(group);
  if (!clients) throw new Error(`no client group ${group}`);
  return clients;
}

/** A socket of its own (no multiplexing), no automatic reconnection: the caller decides. */

/**
 * One `session.sync`, given up after the apps' time-out (and retried); rejects with the error
 * code (`ack_timeout` when unanswered).
 */
async function syncOnce(
  socket: Socket,
  payload: SessionSyncPayload,
): Promise<OkAnswer<AnyRoleEvents, 'session.sync'>> {
  const answer = await ask(socket, 'session.sync', payload).catch(() => {
    throw new Error('ack_timeout');
  });
  if (!answer.ok) throw new Error(answer.error.code);
  return answer;
}

function codeOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 60) : 'error';
}

/** One client of the storm: reconnect, then re-sync from its cursor; retried until done. */
async function restore(
  url: string,
  client: Client,
  since: number,
  startedAt: number,
  deadline: number,
  result: StormResult,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) await delay(backoffMs(attempt));
    if (preciseNow() > deadline) {
      count(result.failures, 'deadline');
      return;
    }
    let socket = client.socket;
    if (!socket?.connected) {
      try {
        socket = await connectSocket<AnyRoleEvents>(url, client.token, {
          timeoutMs: CONNECT_TIMEOUT_MS,
        });
        client.socket = socket;
      } catch (error) {
        const code = codeOf(error);
        // A refused token needs a new login: the apps show the login screen.
        if (code === 'unauthorized') {
          count(result.failures, code);
          return;
        }
        count(result.retries, `connect: ${code}`);
        continue;
      }
    }
    const syncStarted = preciseNow();
    try {
      const ready = socket;
      await syncPages({
        ask: (payload) => syncOnce(ready, payload),
        since,
        onPage: () => true,
      });
    } catch (error) {
      count(result.retries, `sync: ${codeOf(error)}`);
      continue;
    }
    const now = preciseNow();
    result.syncLatencies.push(now - syncStarted);
    result.syncedAfter.push(now - startedAt);
    return;
  }
}

serve<HistoryLoadgenApi>(
  {
    async login({ url, group, accounts, concurrency }) {
      const clients: Client[] = accounts.map(() => ({ token: '', socket: null }));
      await pool(accounts, concurrency, async (account, index) => {
        (clients[index] as Client).token = await login(url, account);
      });
      groups.set(group, [...(groups.get(group) ?? []), ...clients]);
      return clients.length;
    },

    async connect({ url, group, concurrency }) {
      const failures: Record<string, number> = {};
      let connected = 0;
      await pool(clientsOf(group), concurrency, async (client) => {
        try {
          client.socket = await connectSocket<AnyRoleEvents>(url, client.token, {
            timeoutMs: CONNECT_TIMEOUT_MS,
          });
          connected += 1;
        } catch (error) {
          count(failures, codeOf(error));
        }
      });
      return { connected, failures };
    },

    connectedCount({ group }) {
      return Promise.resolve(clientsOf(group).filter((client) => client.socket?.connected).length);
    },

    async resync({ group, durationMs, intervalMs, oldCursor }) {
      const result: ResyncResult = { latencies: [], failures: {} };
      const deadline = preciseNow() + durationMs;
      await Promise.all(
        clientsOf(group).map(async (client, index) => {
          const socket = client.socket;
          if (!socket) throw new Error('resync: a client has no socket');
          // Spread the clients' first syncs over one interval rather than all at once.
          await delay((index * intervalMs) / clientsOf(group).length);
          for (let round = 0; preciseNow() < deadline; round += 1) {
            const started = preciseNow();
            try {
              await syncOnce(socket, round % 2 === 0 ? {} : { since: oldCursor });
              result.latencies.push(preciseNow() - started);
            } catch (error) {
              count(result.failures, codeOf(error));
            }
            await delay(started + intervalMs - preciseNow());
          }
        }),
      );
      return result;
    },

    async storm({ url, group, since, deadlineMs }) {
      const result: StormResult = { syncedAfter: [], syncLatencies: [], retries: {}, failures: {} };
      const startedAt = preciseNow();
      const deadline = startedAt + deadlineMs;
      await Promise.all(
        clientsOf(group).map((client) => restore(url, client, since, startedAt, deadline, result)),
      );
      return result;
    },

    disconnect({ group }) {
      const clients = groups.get(group) ?? [];
      for (const client of clients) client.socket?.close();
      groups.delete(group);
      return Promise.resolve(clients.length);
    },
  },
  { keepAlive: true },
);
