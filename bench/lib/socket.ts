import { io, type Socket } from 'socket.io-client';

/**
 * A load generator's connection: WebSocket only, no reconnection of its own (the scenario
 * decides what a drop means), resolved once the server accepted the handshake.
 */
export function openSocket(url: string, token: string, timeoutMs: number): Promise<Socket> {
  const socket: Socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
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
