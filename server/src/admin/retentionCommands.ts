import { Command, Option } from 'commander';
import { Redis } from 'ioredis';
import { createLogger } from '../logger';
import { readRuntimeInfo } from '../runtimeInfo';
import { AuditLogRepository } from '../store/auditLog';
import { connectMongo } from '../store/mongo';
import { RetentionRepository } from '../store/retention';
import { AttachmentsRepository } from '../store/attachments';
import { RetentionJob } from '../supervisor/retentionJob';
import { AdminInputError } from './accountAdmin';

/** Who a change from the command line is recorded as. */
const CLI_ACTOR = { id: 'cli', login: 'cli', displayName: 'Admin command line' };

function storeAddress() {
  const runtime = readRuntimeInfo();
  const mongodbUrl = process.env.MONGODB_URL ?? runtime?.mongodbUrl;
  const mongodbDb = process.env.MONGODB_DB ?? runtime?.mongodbDb ?? 'callcenter';
  const redisUrl = process.env.REDIS_URL ?? runtime?.redisUrl;
  if (!mongodbUrl) {
    throw new AdminInputError(
      'No database: set MONGODB_URL (and REDIS_URL), or run `npm start` first so the admin tool finds the embedded one.',
    );
  }
  return { mongodbUrl, mongodbDb, redisUrl };
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new AdminInputError('--days must be a whole number from 1 to 3650 (or use --off)');
  }
  return days;
}

/** `retention set --days N | --off` and `retention run`: what the console's Retention page does. */
export function retentionCommands(): Command {
  const group = new Command('retention').description(
    'how long ended conversations are kept, and a removal run now',
  );
  group
    .command('set')
    .description('keep ended conversations for --days N (1-3650), or for good with --off')
    .addOption(new Option('--days <n>', 'days to keep ended conversations').conflicts('off'))
    .addOption(new Option('--off', 'keep conversations for good'))
    .action(async (opts: { days?: string; off?: boolean }) => {
      if (opts.days === undefined && !opts.off) {
        throw new AdminInputError('say --days N or --off');
      }
      const days = opts.off ? null : parseDays(opts.days ?? '');
      const { mongodbUrl, mongodbDb } = storeAddress();
      const mongo = await connectMongo(mongodbUrl, mongodbDb);
      try {
        const retention = new RetentionRepository(
          mongo.collections,
          new AttachmentsRepository(mongo.db),
        );
        const before = await retention.settings();
        await retention.setDays(days, CLI_ACTOR);
        await new AuditLogRepository(mongo.collections).record({
          actor: CLI_ACTOR,
          action: 'retention.update',
          target: { kind: 'retention', id: 'retention', label: 'Retention' },
          before: { days: before.days },
          after: { days },
        });
        process.stdout.write(
          days === null ? 'retention off: conversations are kept\n' : `retention: ${days} days\n`,
        );
      } finally {
        await mongo.close();
      }
    });
  group
    .command('run')
    .description('remove ended conversations older than the setting now (needs REDIS_URL)')
    .action(async () => {
      const { mongodbUrl, mongodbDb, redisUrl } = storeAddress();
      if (!redisUrl) {
        throw new AdminInputError('set REDIS_URL: a run takes the nodes’ lock so one runs at once');
      }
      const mongo = await connectMongo(mongodbUrl, mongodbDb);
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
      try {
        const job = new RetentionJob(
          redis,
          new RetentionRepository(mongo.collections, new AttachmentsRepository(mongo.db)),
          new AuditLogRepository(mongo.collections),
          createLogger('silent'),
        );
        const outcome = await job.run();
        if (!outcome.ran) {
          process.stdout.write(`${outcome.message}\n`);
          if (outcome.reason === 'busy') process.exitCode = 1;
          return;
        }
        const { report } = outcome;
        process.stdout.write(
          `removed ${report.removedConversations} conversations and ${report.removedMessages} ` +
            `messages that ended before ${report.cutoff.toISOString()}\n`,
        );
      } finally {
        await mongo.close();
        await redis.quit();
      }
    });
  return group;
}
