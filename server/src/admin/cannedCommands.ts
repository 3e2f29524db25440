import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { CannedReplyDoc } from '../store/documents';
import { AdminInputError } from './accountAdmin';
import type { CannedAdmin } from './cannedAdmin';

type WithCanned = (work: (canned: CannedAdmin) => Promise<void>) => Promise<void>;

function describe(doc: CannedReplyDoc): string {
  return `/${doc.shortcut} "${doc.title}" (id ${doc._id})`;
}

/** `admin canned ...`: the shared canned replies every agent sees. */
export function cannedCommands(withCanned: WithCanned): Command {
  const group = new Command('canned').description(
    'manage the shared canned replies (agents add their own in the console)',
  );

  group
    .command('list')
    .description('list the shared canned replies')
    .option('--json', 'print them as a JSON array, in the format `canned import` reads')
    .action(async (opts: { json?: boolean }) => {
      await withCanned(async (canned) => {
        const docs = await canned.list();
        if (opts.json) {
          const rows = docs.map((d) => ({
            shortcut: d.shortcut,
            title: d.title,
            text: d.text,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const doc of docs) {
          process.stdout.write(`${describe(doc)}\n  ${doc.text.replaceAll('\n', '\n  ')}\n`);
        }
        process.stdout.write(`${docs.length} shared canned replies\n`);
      });
    });

  group
    .command('add')
    .description('add a shared canned reply')
    .requiredOption('--shortcut <shortcut>', 'what agents type after / (e.g. greeting)')
    .requiredOption('--title <title>', 'title shown in the list')
    .requiredOption(
      '--text <text>',
      'the reply; placeholders such as {customer.name} are filled in',
    )
    .action(async (opts: { shortcut: string; title: string; text: string }) => {
      await withCanned(async (canned) => {
        process.stdout.write(`added ${describe(await canned.add(opts))}\n`);
      });
    });

  group
    .command('update')
    .description('change a shared canned reply; only the options given change')
    .argument('<reply>', 'id or shortcut of the reply')
    .option('--shortcut <shortcut>', 'new shortcut')
    .option('--title <title>', 'new title')
    .option('--text <text>', 'new text')
    .action(async (key: string, opts: { shortcut?: string; title?: string; text?: string }) => {
      await withCanned(async (canned) => {
        process.stdout.write(`updated ${describe(await canned.update(key, opts))}\n`);
      });
    });

  group
    .command('remove')
    .description('remove a shared canned reply')
    .argument('<reply>', 'id or shortcut of the reply')
    .action(async (key: string) => {
      await withCanned(async (canned) => {
        process.stdout.write(`removed ${describe(await canned.remove(key))}\n`);
      });
    });

  group
    .command('import')
    .description(
      'add or update (by shortcut) shared canned replies from a JSON file: ' +
        '[{ "shortcut", "title", "text" }, ...]; all or nothing: one bad row imports none',
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
      await withCanned(async (canned) => {
        const result = await canned.importBulk(parsed);
        process.stdout.write(`${result.created} created, ${result.updated} updated\n`);
      });
    });

  return group;
}
