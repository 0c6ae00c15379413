import 'reflect-metadata';
import { withHub } from './cli-context';
import { COMMANDS, USAGE } from './hub-commands';

async function main(argv: string[]): Promise<void> {
  const name = argv.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(argv.length === 0 || argv[0] === 'help' ? 0 : 2);
  }
  const result = await withHub((app) =>
    command(argv.slice(2), (type) => app.get(type, { strict: false })),
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
