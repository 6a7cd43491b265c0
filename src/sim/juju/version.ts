import { boolFlag, parseArgs, stringFlag } from '../args.js';
import type { Command } from './context.js';

export const version: Command = async (ctx, args) => {
  const parsed = parseArgs(args, { kinds: { all: 'bool', format: 'value' }, aliases: { o: 'output' } });
  const release = ctx.flavour === '3' ? 'genericlinux' : 'ubuntu';
  const text = `${ctx.version}-${release}-amd64`;
  if (stringFlag(parsed, 'format') === 'json') {
    ctx.io.stdout(
      `${JSON.stringify(boolFlag(parsed, 'all') ? { version: text, 'git-commit': '0000000000000000000000000000000000000000', 'git-tree-state': 'clean', compiler: 'gc', 'official-build': 0, 'go-build-tags': '' } : text)}\n`,
    );
    return;
  }
  ctx.io.stdout(`${text}\n`);
};
