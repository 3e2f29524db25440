import type { CannedRepliesBroadcast } from '../services/cannedReplyService';
import { CANNED_CHANGED } from './channels';
import { rooms } from './rooms';
import type { ChatServer } from './types';

/**
 * Tells agents a set of canned replies changed; their consoles list them again. An agent's own
 * set goes to its sessions on every node through the adapter. The shared set is changed by the
 * admin tool, which reaches every node with `CANNED_CHANGED` through Redis; each node then tells
 * its own agents.
 */
export class CannedPush implements CannedRepliesBroadcast {
  constructor(private readonly io: ChatServer) {
    io.on(CANNED_CHANGED, () => {
      this.tellLocalAgents();
    });
  }

  cannedChanged(owner: string | null): void {
    if (owner !== null) {
      this.io.to(rooms.agent(owner)).emit('canned.changed', { scope: 'own' });
      return;
    }
    this.io.serverSideEmit(CANNED_CHANGED);
    this.tellLocalAgents();
  }

  private tellLocalAgents(): void {
    this.io.local.to(rooms.agents).emit('canned.changed', { scope: 'shared' });
  }
}
