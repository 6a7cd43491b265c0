// Regenerates src/bundle/charm-options.json from the charms' config.yaml files (shared/reference/charm-config),
// so the validator can check option names and types without shipping the reference folder:
//   npx tsx scripts/gen-charm-options.ts /work/shared/reference/charm-config
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeFileAtomic } from '../src/util/fs.js';

type OptionType = 'string' | 'int' | 'float' | 'boolean';

async function main(configDir: string, outPath: string): Promise<void> {
  const table: Record<string, Record<string, OptionType[]>> = {};
  const files = (await readdir(configDir)).filter((f) => f.endsWith('.config.yaml')).sort();
  for (const file of files) {
    // <charm>.config.yaml or <charm>.<branch>.config.yaml: every branch's options count as known
    const charm = file.split('.')[0]!;
    const config = parse(await readFile(join(configDir, file), 'utf8'), { uniqueKeys: false }) as {
      options?: Record<string, { type?: OptionType }>;
    };
    const options = (table[charm] ??= {});
    for (const [name, option] of Object.entries(config.options ?? {})) {
      const type = option.type ?? 'string';
      const types = (options[name] ??= []);
      if (!types.includes(type)) types.push(type);
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(table)
      .sort()
      .map((charm) => [
        charm,
        Object.fromEntries(
          Object.keys(table[charm]!)
            .sort()
            .map((o) => [o, table[charm]![o]!]),
        ),
      ]),
  );
  await writeFileAtomic(outPath, `${JSON.stringify(sorted, null, 1)}\n`);
  console.log(`wrote ${outPath}: ${Object.keys(sorted).length} charms from ${files.length} config files`);
}

const [configDir = '/work/shared/reference/charm-config'] = process.argv.slice(2);
await main(configDir, new URL('../src/bundle/charm-options.json', import.meta.url).pathname);
