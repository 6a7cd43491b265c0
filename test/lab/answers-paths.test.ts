import test from 'ava';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../src/lab/defaults.js';
import { writeLabYaml } from '../../src/lab/labfile.js';
import { labImageSource } from '../../src/pipeline/cloud-adapter.js';
import { runCliInProcess } from '../helpers/cli.js';

// Files the lab answers name by a relative path (sshPublicKey, compute.image.source) are beside the
// answers file, whatever folder lxdstack runs in: `lxdstack plan -a labs/one/lab.yaml` reads
// labs/one/id.pub, not ./id.pub.

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA you@host\n';

async function labElsewhere(key: string | undefined) {
  const root = await mkdtemp(join(tmpdir(), 'lxdstack-answers-paths-'));
  const labDir = join(root, 'labs', 'one');
  const elsewhere = join(root, 'elsewhere');
  await mkdir(labDir, { recursive: true });
  await mkdir(elsewhere);
  await writeLabYaml(join(labDir, 'lab.yaml'), {
    ...defaultSpec('tutorial-2016'),
    adminPassword: 'Answers-Paths-Pw-1',
    sshPublicKey: './id.pub',
  });
  if (key !== undefined) await writeFile(join(labDir, 'id.pub'), key);
  return { answers: join(labDir, 'lab.yaml'), elsewhere };
}

test('plan from another folder reads the SSH key beside the answers file', async (t) => {
  const { answers, elsewhere } = await labElsewhere(KEY);
  const result = await runCliInProcess(['plan', '-a', answers], { cwd: elsewhere });
  t.is(result.exitCode, 0, result.stderr);
  t.notRegex(result.stderr, /sshPublicKey/);
});

test('plan from another folder still warns when the key beside the answers file is missing', async (t) => {
  const { answers, elsewhere } = await labElsewhere(undefined);
  // a key of the same name in the folder plan runs in is not the lab's
  await writeFile(join(elsewhere, 'id.pub'), KEY);
  const result = await runCliInProcess(['plan', '-a', answers], { cwd: elsewhere });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(
    result.stderr,
    /^warning: sshPublicKey: \.\/id\.pub cannot be read; create a key with `ssh-keygen`/m,
  );
});

test("the lab's image is read beside the answers file; LXDSTACK_IMAGE from the current folder; URLs as they are", (t) => {
  const spec = {
    ...defaultSpec('modern'),
    compute: { virtType: 'lxc' as const, image: { source: 'images/root.ext4', checksum: 'sha256:00' } },
  };
  t.deepEqual(labImageSource(spec, {}, '/labs/one/lab.yaml'), {
    path: '/labs/one/images/root.ext4',
    checksum: 'sha256:00',
  });
  const home = {
    ...spec,
    compute: { ...spec.compute, image: { source: '~/root.ext4', checksum: 'sha256:00' } },
  };
  t.deepEqual(labImageSource(home, {}, '/labs/one/lab.yaml'), {
    path: join(homedir(), 'root.ext4'),
    checksum: 'sha256:00',
  });
  const url = {
    ...spec,
    compute: { ...spec.compute, image: { source: 'https://x/r.img', checksum: 'sha256:00' } },
  };
  t.deepEqual(labImageSource(url, {}, '/labs/one/lab.yaml'), {
    url: 'https://x/r.img',
    checksum: 'sha256:00',
  });
  t.deepEqual(
    labImageSource(
      spec,
      { LXDSTACK_IMAGE: 'mine.img', LXDSTACK_IMAGE_CHECKSUM: 'sha256:11' },
      '/labs/one/lab.yaml',
    ),
    { path: 'mine.img', checksum: 'sha256:11' },
  );
});
