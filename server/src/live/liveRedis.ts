import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';

const SCRIPT_NAMES = [
  'requestChat',
  'takeTop',
  'takeRequest',
  'assignByMessage',
  'agentEndChat',
  'customerEndChat',
  'expireOffline',
  'connect',
  'disconnect',
  'reapNode',
  'queueSnapshot',
  'queueMetrics',
  'customerState',
  'rateConversation',
  'setPreview',
  'allocateMessageSeq',
  'beginCustomerMessage',
  'replayWatermark',
  'raiseMessageSeq',
  'settleMessage',
  'replayPage',
  'initReplay',
  'warmReplay',
  'replayIncarnation',
  'messagePageFloor',
  'openMessagePage',
  'reseedMessagePages',
  'reserveLoginAttempt',
  'recordLoginSuccess',
  'recordLoginFailure',
  'startCall',
  'answerCall',
  'endCall',
  'sweepCalls',
  'callDeviceGone',
  'callDeviceBack',
  'transferChat',
  'agentState',
  'setAgentStatus',
  'setAgentCapacity',
  'teamState',
  'sweepIdle',
  'wallboardState',
] as const;
type ScriptName = (typeof SCRIPT_NAMES)[number];

function loadScript(name: string): string {
  return readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
}

const COMMON = loadScript('common');
const SCRIPTS: Record<ScriptName, string> = Object.fromEntries(
  SCRIPT_NAMES.map((name) => [name, `${COMMON}\n${loadScript(name)}`]),
) as Record<ScriptName, string>;
const SCRIPT_BY_TEXT = new Map<string, ScriptName>(
  SCRIPT_NAMES.map((name) => [SCRIPTS[name], name]),
);

type ScriptResult<T> = ({ ok: true } & T) | { ok: false; code: ErrorCode; conversationId?: string };

/** What the caller tells a client for each error code a script may answer (else the code). */
export type ErrorMessages = Partial<Record<ErrorCode, string>>;

/** cjson encodes false for absent values and {} for empty arrays. */
export function orNull<T>(value: T | false | undefined): T | null {
  return value === false || value === undefined ? null : value;
}

/**
 * Redis as the live state uses it: every key under one prefix, and the Lua scripts of `lua/`
 * (each after common.lua), which get the prefix as their first argument. Every module of the
 * live state (queue, presence, sequence, replay index, sessions, login throttle) runs here.
 */
export class LiveRedis {
  private readonly shas = new Map<ScriptName, string>();
  private readonly names = new Map<string, ScriptName>();

  constructor(
    readonly client: Redis,
    private readonly prefix = 'cc:',
  ) {}

  /** The key `name` under the prefix. */
  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Loads the scripts; EVALSHA falls back to EVAL if Redis forgot them (restart). */
  async loadScripts(): Promise<void> {
    for (const name of SCRIPT_NAMES) {
      const sha = (await this.client.script('LOAD', SCRIPTS[name])) as string;
      this.shas.set(name, sha);
      this.names.set(sha, name);
    }
  }

  async run(name: ScriptName, args: (string | number)[]): Promise<unknown> {
    const argv = [this.prefix, ...args.map(String)];
    const sha = this.shas.get(name);
    if (sha) {
      try {
        return await this.client.evalsha(sha, 0, ...argv);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      }
    }
    return this.client.eval(SCRIPTS[name], 0, ...argv);
  }

  /**
   * The script an EVALSHA (by its hash) or an EVAL (by its text) runs, for metrics; '' when
   * it is none of these.
   */
  scriptOf(command: string, firstArg: unknown): string {
    if (typeof firstArg !== 'string') return '';
    if (command === 'evalsha') return this.names.get(firstArg) ?? '';
    return SCRIPT_BY_TEXT.get(firstArg) ?? '';
  }

  /** Runs a script that answers JSON. */
  async runJson<T>(name: ScriptName, args: (string | number)[]): Promise<T> {
    return JSON.parse(String(await this.run(name, args))) as T;
  }

  /**
   * Runs a script that answers `{ ok: true, ... }`, or `{ ok: false, code }`: thrown as a
   * ProtocolError with the message `messages` gives for the code.
   */
  async runChecked<T>(
    name: ScriptName,
    args: (string | number)[],
    messages: ErrorMessages = {},
  ): Promise<{ ok: true } & T> {
    const result = await this.runJson<ScriptResult<T>>(name, args);
    if (!result.ok) {
      throw new ProtocolError(result.code, messages[result.code] ?? result.code);
    }
    return result;
  }
}
