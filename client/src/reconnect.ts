import type { Socket } from 'socket.io-client';

/**
 * Socket.IO retries a dropped link by itself, but not a handshake the server refused for now
 * (`unavailable`, `rate_limited`: the socket goes inactive) nor a socket the server closed:
 * this connects again after `delayMs`, unless the app has let go of the socket meanwhile
 * (`stillWanted`) or Socket.IO is already trying.
 */
export function connectAgainLater(
  socket: Pick<Socket, 'active' | 'connect'>,
  stillWanted: () => boolean,
  delayMs: number,
): void {
  if (socket.active) return;
  setTimeout(() => {
    if (stillWanted() && !socket.active) socket.connect();
  }, delayMs);
}
