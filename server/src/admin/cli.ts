import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Emitter } from '@socket.io/redis-emitter';
import { Command, Option } from 'commander';
import { Redis } from 'ioredis';
import { TIERS } from '@callcenter/shared';
import { readRuntimeInfo } from '../runtimeInfo';
import { LiveRedis } from '../live/liveRedis';
import { Sessions } from '../live/sessions';
import { AGENT_CHANGED, CANNED_CHANGED, PROFILE_CHANGED, SOCKET_IO_KEY } from '../socket/channels';
import { rooms } from '../socket/rooms';
import { AccountsRepository } from '../store/accounts';
import { CannedRepliesRepository } from '../store/cannedReplies';
import { connectMongo } from '../store/mongo';
import { AccountAdmin, AdminInputError, type AccountKind } from './accountAdmin';
import { CannedAdmin } from './cannedAdmin';
import { cannedCommands } from './cannedCommands';
import { retentionCommands } from './retentionCommands';
import { promptSecret, readStdin } from './secretPrompt';

interface Connections {
  admin: AccountAdmin;
  canned: CannedAdmin;
  close(): Promise<void>;
}

/** MONGODB_URL (and REDIS_URL to revoke sessions) from the environment, else from `npm start`. */
async function connect(): Promise<Connections> {
  const runtime = readRuntimeInfo();
  const mongodbUrl = process.env.MONGODB_URL ?? runtime?.mongodbUrl;
  const mongodbDb = process.env.MONGODB_DB ?? runtime?.mongodbDb ?? 'callcenter';
  const redisUrl = process.env.REDIS_URL ?? runtime?.redisUrl;
  if (!mongodbUrl) {
    throw new AdminInputError(
      'No database: set MONGODB_URL (and REDIS_URL), or run `npm start` first so the admin tool finds the embedded one.',
    );
  }
  const mongo = await connectMongo(mongodbUrl, mongodbDb);
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const accounts = new AccountsRepository(mongo.collections);
  const emitter = redis ? new Emitter(redis, { key: SOCKET_IO_KEY }) : undefined;
  const admin = new AccountAdmin(accounts, {
    revokeSessions: async (kind, userId) => {
      if (!redis || !emitter) {
        process.stderr.write('REDIS_URL is not set: open sessions end when their tokens expire.\n');
        return;
      }
      await new Sessions(new LiveRedis(redis)).revokeAllOf(`${kind}:${userId}`);
      // Tell every server node to close this user's sockets now.
      const room = rooms.user(kind, userId);
      emitter.to(room).emit('session.revoked', { reason: 'disabled' });
      emitter.in(room).disconnectSockets(true);
    },
    customerChanged: (customerId) => {
      // Without Redis the nodes' cached profiles catch up within their refresh time.
      emitter?.serverSideEmit(PROFILE_CHANGED, customerId);
      return Promise.resolve();
    },
    agentChanged: (agentId) => {
      // Without Redis a changed capacity reaches the live state when the agent next connects.
      emitter?.serverSideEmit(AGENT_CHANGED, agentId);
      return Promise.resolve();
    },
  });
  const canned = new CannedAdmin(new CannedRepliesRepository(mongo.collections), {
    sharedChanged: () => {
      if (!emitter) {
        process.stderr.write('REDIS_URL is not set: open consoles see the change on reconnect.\n');
      }
      // Every node tells its agents; their consoles list the replies again.
      emitter?.serverSideEmit(CANNED_CHANGED);
      return Promise.resolve();
    },
  });
  return {
    admin,
    canned,
    close: async () => {
      await mongo.close();
      if (redis) await redis.quit();
    },
  };
}

async function withAdmin(work: (admin: AccountAdmin) => Promise<void>): Promise<void> {
  await withConnections((connections) => work(connections.admin));
}

async function withConnections(work: (connections: Connections) => Promise<void>): Promise<void> {
  const connections = await connect();
  try {
    await work(connections);
  } finally {
    await connections.close();
  }
}

interface PasswordOptions {
  passwordStdin?: boolean;
  generatePassword?: boolean;
}

/** A password from stdin, generated, or asked twice on the terminal; never echoed. */
async function obtainPassword(options: PasswordOptions): Promise<string> {
  if (options.passwordStdin) return readStdin();
  if (options.generatePassword) {
    const password = randomBytes(12).toString('base64url');
    // Shown once, on stderr, so that scripts capturing stdout do not log it.
    process.stderr.write(`Generated password (shown once): ${password}\n`);
    return password;
  }
  if (!process.stdin.isTTY) {
    throw new AdminInputError(
      'No terminal to ask for a password: use --password-stdin or --generate-password.',
    );
  }
  const first = await promptSecret('Password: ');
  const second = await promptSecret('Repeat password: ');
  if (first !== second) throw new AdminInputError('The passwords differ.');
  return first;
}

function passwordOptions(command: Command): Command {
  return command
    .option('--password-stdin', 'read the password from standard input')
    .option('--generate-password', 'generate a password and print it once (on stderr)');
}

function printResult(
  action: string,
  kind: AccountKind,
  result: { id: string; login: string },
): void {
  process.stdout.write(`${action} ${kind} ${result.login} (id ${result.id})\n`);
}

function accountCommands(kind: AccountKind): Command {
  const group = new Command(kind).description(`manage ${kind} accounts`);

  const create = group
    .command('create')
    .description(`create a ${kind}`)
    .requiredOption('--login <login>', 'login name')
    .requiredOption('--name <displayName>', 'name shown to others')
    .option('--email <email>', 'email address');
  if (kind === 'agent') create.option('--capacity <n>', 'most conversations at once (default 1)');
  if (kind === 'supervisor') {
    create.option('--admin', 'may administer accounts, canned replies and retention');
  }
  if (kind === 'customer') {
    create
      .addOption(new Option('--tier <tier>', 'service tier').choices(TIERS).makeOptionMandatory())
      .option('--phone <phone>', 'phone number')
      .option('--company <company>', 'company')
      .option('--notes <notes>', 'notes shown to agents')
      .option('--customer-since <date>', 'customer since (YYYY-MM-DD)');
  }
  passwordOptions(create).action(async (opts: Record<string, string | boolean | undefined>) => {
    const password = await obtainPassword(opts);
    await withAdmin(async (admin) => {
      const result = await admin.create(kind, {
        login: opts.login,
        displayName: opts.name,
        password,
        email: opts.email,
        ...(kind === 'agent' && opts.capacity !== undefined
          ? { capacity: Number(opts.capacity) }
          : {}),
        ...(kind === 'supervisor' ? { admin: opts.admin === true } : {}),
        ...(kind === 'customer'
          ? {
              tier: opts.tier,
              phone: opts.phone,
              company: opts.company,
              notes: opts.notes,
              customerSince: opts.customerSince,
            }
          : {}),
      });
      printResult('created', kind, result);
    });
  });

  const update = group
    .command('update')
    .description(`change a ${kind}; only the options given change`)
    .requiredOption('--login <login>', 'login of the account to change')
    .option('--name <displayName>', 'new display name')
    .option('--email <email>', 'new email address')
    .option('--password', 'set a new password (asked on the terminal unless --password-stdin)');
  if (kind === 'agent') update.option('--capacity <n>', 'most conversations at once');
  if (kind === 'supervisor') {
    update
      .option('--admin', 'give the administration right')
      .option('--no-admin', 'take the administration right away (ends its sessions)');
  }
  if (kind === 'customer') {
    update
      .addOption(new Option('--tier <tier>', 'new service tier').choices(TIERS))
      .option('--phone <phone>', 'new phone number')
      .option('--company <company>', 'new company')
      .option('--notes <notes>', 'new notes')
      .option('--customer-since <date>', 'customer since (YYYY-MM-DD)');
  }
  passwordOptions(update).action(async (opts: Record<string, string | boolean | undefined>) => {
    const wantsPassword =
      opts.password === true || opts.passwordStdin === true || opts.generatePassword === true;
    const changes: Record<string, unknown> = {
      displayName: opts.name,
      email: opts.email,
      password: wantsPassword ? await obtainPassword(opts) : undefined,
      tier: opts.tier,
      phone: opts.phone,
      company: opts.company,
      notes: opts.notes,
      customerSince: opts.customerSince,
      capacity: opts.capacity === undefined ? undefined : Number(opts.capacity),
      admin: kind === 'supervisor' ? opts.admin : undefined,
    };
    const given = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    );
    await withAdmin(async (admin) => {
      printResult('updated', kind, await admin.update(kind, String(opts.login), given));
    });
  });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    group
      .command(name)
      .description(`${name} a ${kind}${disabled ? ' (ends its sessions at once)' : ''}`)
      .requiredOption('--login <login>', 'login of the account')
      .action(async (opts: { login: string }) => {
        await withAdmin(async (admin) => {
          printResult(`${name}d`, kind, await admin.update(kind, opts.login, { disabled }));
        });
      });
  }
  return group;
}

const program = new Command('admin')
  .description('Account administration for the call-center chat (R1).')
  .showHelpAfterError()
  .addCommand(accountCommands('agent'))
  .addCommand(accountCommands('customer'))
  .addCommand(accountCommands('supervisor'))
  .addCommand(cannedCommands((work) => withConnections(({ canned }) => work(canned))))
  .addCommand(retentionCommands());

program
  .command('import')
  .description(
    'create or update accounts in bulk from a JSON file: ' +
      '{ "agents": [...], "customers": [...], "supervisors": [...] }; ' +
      'each item as for create (login, displayName, password, ...); existing logins are updated',
  )
  .argument('<file>', 'JSON file')
  .action(async (file: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new AdminInputError(
        `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await withAdmin(async (admin) => {
      const outcomes = await admin.importBulk(parsed, (outcome, done, total) => {
        const what = `${outcome.kind} #${outcome.index + 1}${outcome.login ? ` (${outcome.login})` : ''}`;
        const line =
          outcome.result === 'failed'
            ? `failed ${what}: ${outcome.reason ?? ''}`
            : `${outcome.result} ${what}`;
        process.stdout.write(`[${done}/${total}] ${line}\n`);
      });
      const failed = outcomes.filter((o) => o.result === 'failed').length;
      const created = outcomes.filter((o) => o.result === 'created').length;
      const updated = outcomes.filter((o) => o.result === 'updated').length;
      process.stdout.write(`${created} created, ${updated} updated, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AdminInputError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
