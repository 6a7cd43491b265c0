import test from 'ava';
import { DESCRIBED_CONFIG_FILE } from '../../src/juju/argv.js';
import { jujuPort } from '../../src/pipeline/juju-adapter.js';
import { describeCommand } from '../../src/util/command-line.js';
import { localRunner, type CommandRunner } from '../../src/util/runner.js';

// What `lxdstack plan` and `deploy --dry-run` print for bootstrap and add-model is the command that
// really runs: the proxies reach juju in a private config file, so the description names that file.

const PROXY = 'http://alice:Pr0xy-Pa55-Word@proxy.example:3128';

for (const flavour of ['2.9', '3'] as const) {
  test(`juju ${flavour}: bootstrap and add-model are described as they run, config in a file`, async (t) => {
    const ran: string[] = [];
    const recording: CommandRunner = {
      ...localRunner,
      run: async (file, args) => {
        if (args[0] === 'version') {
          const stdout = flavour === '3' ? '3.6.1-genericlinux-amd64\n' : '2.9.46-ubuntu-amd64\n';
          return { command: 'juju version', exitCode: 0, stdout, stderr: '', durationMs: 0 };
        }
        const at = args.indexOf('--config');
        // the runner's private file has a fresh folder each run: the description names it by its role
        const shown = at === -1 ? args : args.map((arg, i) => (i === at + 1 ? DESCRIBED_CONFIG_FILE : arg));
        ran.push(describeCommand('juju', shown));
        return { command: [file, ...args].join(' '), exitCode: 0, stdout: '', stderr: '', durationMs: 0 };
      },
    };
    const port = jujuPort({ env: {}, flavour, settleMs: 0, runner: async () => recording });
    const config = { 'http-proxy': PROXY, 'no-proxy': '127.0.0.1' };
    const bootstrap = { cloud: 'localhost', controller: 'lxdstack', config };
    const addModel = { controller: 'lxdstack', model: 'openstack', config };

    await port.bootstrap(bootstrap);
    await port.addModel(addModel);

    t.deepEqual(ran, [port.describe.bootstrap(bootstrap), port.describe.addModel(addModel)]);
    t.regex(port.describe.bootstrap(bootstrap), /--config '<private folder>\/config\.yaml'/);
    t.false(ran.join('\n').includes('http-proxy='));
  });
}
