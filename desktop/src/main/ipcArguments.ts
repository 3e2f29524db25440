// Parsers for what the renderer sends: a compromised page must not be able to hand the main
// process anything but the documented shapes (bounded sizes included).
import { isAppLanguage, type AppLanguage } from '@callcenter/client/language';
import { LIMITS, TIERS } from '@callcenter/shared/domain';
import type { Tier } from '@callcenter/shared/domain';
import { isRepeatPeriod } from '../common/alertRepeat';
import type {
  CustomerMessageNotice,
  IncomingCallNotice,
  QueueArrival,
  QueueUpdate,
  SettingsChange,
} from '../ipc/channels';

const MAX_URL_LENGTH = 2048;
const MAX_ARRIVALS = 200;
const MAX_NAME_LENGTH = 200;
const MAX_ID_LENGTH = 64;
const MAX_TEXT_LENGTH = LIMITS.messageLength;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBoundedString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

export function parseNoArgs(args: unknown[]): [] | null {
  return args.length === 0 ? [] : null;
}

export function parseBoolean(args: unknown[]): [boolean] | null {
  const [value] = args;
  return args.length === 1 && typeof value === 'boolean' ? [value] : null;
}

export function parseRepeatSeconds(args: unknown[]): [number] | null {
  const [value] = args;
  return args.length === 1 && isRepeatPeriod(value) ? [value] : null;
}

export function parseLanguage(args: unknown[]): [AppLanguage] | null {
  const [value] = args;
  return args.length === 1 && typeof value === 'string' && isAppLanguage(value) ? [value] : null;
}

export function parseUrlText(args: unknown[]): [string] | null {
  const [value] = args;
  return args.length === 1 && isBoundedString(value, MAX_URL_LENGTH) ? [value] : null;
}

export function parseSettings(args: unknown[]): [SettingsChange] | null {
  const [value] = args;
  if (args.length !== 1 || !isRecord(value)) return null;
  const { serverUrl, soundEnabled, allowUnencrypted } = value;
  if (serverUrl !== null && !isBoundedString(serverUrl, MAX_URL_LENGTH)) return null;
  if (typeof soundEnabled !== 'boolean') return null;
  if (allowUnencrypted !== undefined && typeof allowUnencrypted !== 'boolean') return null;
  return [{ serverUrl, soundEnabled, allowUnencrypted: allowUnencrypted === true }];
}

function parseArrival(value: unknown): QueueArrival | null {
  if (!isRecord(value)) return null;
  const { requestId, displayName, tier } = value;
  if (!isBoundedString(requestId, MAX_ID_LENGTH) || !isBoundedString(displayName, MAX_NAME_LENGTH))
    return null;
  if (!isTier(tier)) return null;
  return { requestId, displayName, tier };
}

export function parseQueueUpdate(args: unknown[]): [QueueUpdate] | null {
  const [value] = args;
  if (args.length !== 1 || !isRecord(value)) return null;
  const { total, arrivals, waitingLong } = value;
  if (total !== null && !(Number.isSafeInteger(total) && (total as number) >= 0)) return null;
  if (!Array.isArray(arrivals) || arrivals.length > MAX_ARRIVALS) return null;
  const long = waitingLong ?? 0;
  if (!Number.isSafeInteger(long) || (long as number) < 0) return null;
  if ((long as number) > ((total as number | null) ?? 0)) return null;
  const parsed: QueueArrival[] = [];
  for (const arrival of arrivals) {
    const one = parseArrival(arrival);
    if (one === null) return null;
    parsed.push(one);
  }
  return [{ total: total as number | null, arrivals: parsed, waitingLong: long as number }];
}

export function parseCustomerMessage(args: unknown[]): [CustomerMessageNotice] | null {
  const [value] = args;
  if (args.length !== 1 || !isRecord(value)) return null;
  const { customerName, text, tier } = value;
  if (!isBoundedString(customerName, MAX_NAME_LENGTH) || !isBoundedString(text, MAX_TEXT_LENGTH)) {
    return null;
  }
  if (tier === undefined) return [{ customerName, text }];
  return isTier(tier) ? [{ customerName, text, tier }] : null;
}

export function parseIncomingCall(args: unknown[]): [IncomingCallNotice] | null {
  const [value] = args;
  if (args.length !== 1 || !isRecord(value)) return null;
  const { customerName } = value;
  if (!isBoundedString(customerName, MAX_NAME_LENGTH)) return null;
  return [{ customerName }];
}
