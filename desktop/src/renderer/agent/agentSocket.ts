import type { AgentToServerEvents } from '@callcenter/shared';
import type { ClientSocket } from '@callcenter/client';
import { io } from 'socket.io-client';

/** The agent's socket, typed by the shared event maps. */
export type AgentSocket = ClientSocket<AgentToServerEvents>;

/** Opens the socket: websocket only (the server's documented transport), token in the handshake. */
export function openAgentSocket(serverUrl: string, token: string): AgentSocket {
  return io(serverUrl, {
    transports: ['websocket'],
    auth: { token },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    // A connection attempt that hangs (half-open network) is given up sooner than the default 20 s.
    timeout: 8_000,
  });
}
