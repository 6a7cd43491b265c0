import { Skip, type SmokeCheck } from '../registry.js';
import { counted } from '../../util/text.js';

// The lab's keypair exists; the instances are booted with it.

export const keypair: SmokeCheck = {
  name: 'keypair',
  group: 'compute',
  suites: ['quick', 'full'],
  needs: ['auth-catalog'],
  blocks: 'the keypair is missing (see keypair)',
  async run({ client, input, facts }) {
    const keypairs = await client.listKeypairs();
    if (!input.keypairName)
      throw new Skip(
        `no keypair name given to look for (${counted(keypairs.length, 'keypair')} ${keypairs.length === 1 ? 'exists' : 'exist'}).`,
      );
    const found = keypairs.find((k) => k.name === input.keypairName);
    if (!found)
      throw new Error(`there is no keypair ${input.keypairName}; run the post-deploy configuration.`);
    facts.keypairName = found.name;
    return `${found.name} ${found.fingerprint}`;
  },
};
