import type { TeamSnapshot } from '@callcenter/shared';
import type { ChatQueue } from '../live/chatQueue';
import type { AccountsRepository } from '../store/accounts';

/** The agent list changes only when admins change accounts; re-read it this often anyway. */
const ROSTER_TTL_MS = 60_000;

/**
 * The team as agents see it (who a transfer can go to): every enabled agent from the store,
 * with its status and load from Redis, read at once with the team's version.
 */
export class TeamRoster {
  private roster: Promise<{ id: string; displayName: string }[]> | undefined;
  private rosterReadAt = 0;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly queue: ChatQueue,
  ) {}

  /** An admin changed an agent: the next snapshot reads the list again. */
  forget(): void {
    this.roster = undefined;
  }

  /** An agent the list does not have yet (made since it was read) makes it read again. */
  async include(agentId: string): Promise<void> {
    const members = await this.members().catch(() => []);
    if (!members.some((member) => member.id === agentId)) this.forget();
  }

  async snapshot(): Promise<TeamSnapshot> {
    const members = await this.members();
    const live = await this.queue.teamState(members.map((member) => member.id));
    return {
      version: live.version,
      agents: members.map((member, index) => {
        const state = live.agents[index];
        return {
          id: member.id,
          displayName: member.displayName,
          status: state?.status ?? 'available',
          online: state?.online ?? false,
          active: state?.active ?? 0,
          capacity: state?.capacity ?? 1,
        };
      }),
    };
  }

  /** Every enabled agent, by name (read from the store at most once a minute). */
  members(): Promise<{ id: string; displayName: string }[]> {
    if (!this.roster || Date.now() - this.rosterReadAt > ROSTER_TTL_MS) {
      this.rosterReadAt = Date.now();
      const read = this.accounts.enabledAgents();
      // A failed read is not kept: the next snapshot tries again.
      read.catch(() => {
        if (this.roster === read) this.roster = undefined;
      });
      this.roster = read;
    }
    return this.roster;
  }
}
