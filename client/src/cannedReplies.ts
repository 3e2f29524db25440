import type { CannedReply, Tier } from '@callcenter/shared';

// Canned replies on the client: which replies match what the agent typed after `/`, and the
// reply's text with its placeholders filled in for the conversation at hand.

/** Who a reply is filled in for. A missing party leaves its placeholders as written. */
export interface CannedReplyContext {
  customer?: { displayName: string; tier?: Tier } | null;
  agent?: { displayName: string } | null;
}

/** The placeholders a canned reply's text may use, for help texts. */
export const CANNED_PLACEHOLDERS = [
  '{customer.name}',
  '{customer.firstName}',
  '{customer.tier}',
  '{agent.name}',
  '{agent.firstName}',
] as const;

const TIER_WORDS: Record<Tier, string> = {
  standard: 'Standard',
  gold: 'Gold',
  platinum: 'Platinum',
};

/** The first word of a name ("Dana Scully" -> "Dana"); a one-word name is itself. */
export function firstNameOf(displayName: string): string {
  return displayName.trim().split(/\s+/u)[0] ?? displayName;
}

function valueOf(placeholder: string, context: CannedReplyContext): string | undefined {
  const { customer, agent } = context;
  switch (placeholder) {
    case 'customer.name':
      return customer?.displayName;
    case 'customer.firstName':
      return customer ? firstNameOf(customer.displayName) : undefined;
    case 'customer.tier':
      return customer?.tier ? TIER_WORDS[customer.tier] : undefined;
    case 'agent.name':
      return agent?.displayName;
    case 'agent.firstName':
      return agent ? firstNameOf(agent.displayName) : undefined;
    default:
      return undefined;
  }
}

/**
 * `text` with its placeholders (`{customer.name}`, see CANNED_PLACEHOLDERS) filled in from
 * `context`, in one pass: a name that itself looks like a placeholder is not filled again.
 * Unknown placeholders, and those whose party is missing, stay as written for the agent to see.
 */
export function fillCannedReply(text: string, context: CannedReplyContext): string {
  return text.replace(/\{([A-Za-z]+\.[A-Za-z]+)\}/g, (written, name: string) => {
    return valueOf(name, context) ?? written;
  });
}

/**
 * What the agent is looking for when the composer holds `/` and a query on one line, else
 * `null` (the composer holds a message).
 */
export function cannedQueryOf(composerText: string): string | null {
  const match = /^\/([^\n]*)$/u.exec(composerText);
  return match ? (match[1] ?? '') : null;
}

/**
 * The replies that match `query`, case-insensitively: shortcuts that start with it first, then
 * shortcuts or titles that contain it; each group keeps the list's order (shared, then own).
 */
export function matchCannedReplies(replies: readonly CannedReply[], query: string): CannedReply[] {
  const wanted = query.trim().toLocaleLowerCase();
  if (wanted === '') return [...replies];
  const starts: CannedReply[] = [];
  const contains: CannedReply[] = [];
  for (const reply of replies) {
    const shortcut = reply.shortcut.toLocaleLowerCase();
    if (shortcut.startsWith(wanted)) starts.push(reply);
    else if (shortcut.includes(wanted) || reply.title.toLocaleLowerCase().includes(wanted)) {
      contains.push(reply);
    }
  }
  return [...starts, ...contains];
}
