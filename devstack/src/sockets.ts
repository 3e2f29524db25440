import { io } from 'socket.io-client';
import type { ClientEvents, ClientSocket } from '@callcenter/client';

export interface ConnectOptions {
  /** WebSocket only unless told otherwise. */
  transports?: ('polling' | 'websocket')[];
  /** How long the handshake may take (Socket.IO's default: 20 s). */
  timeoutMs?: number;
}

/**
 * A plain Socket.IO client with `token`, typed by a role's event map and connected: no
 * reconnection of its own (the test or the scenario decides what a drop means), closed on a
 * refused handshake (the promise then rejects with it). For tests and load generators.
 */
export function connectSocket<Events extends ClientEvents>(
  url: string,
  token: string,
  { transports = ['websocket'], timeoutMs }: ConnectOptions = {},
): Promise<ClientSocket<Events>> {
  const socket: ClientSocket<Events> = io(url, {
    auth: { token },
    transports,
    reconnection: false,
    forceNew: true,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
