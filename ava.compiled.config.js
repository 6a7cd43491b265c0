// `npm run test:unit`: the same tests compiled to JavaScript by scripts/build-tests.mjs, run without a
// TypeScript loader (package.json's ava config, with tsx, serves `npx ava FILE.ts`), one worker per test
// folder plus one for each file that needs to be alone (the list the build writes).
import { readFileSync } from 'node:fs';

const WORKERS = new URL('dist/test-tree/ava-files.json', import.meta.url);

function workers() {
  try {
    return JSON.parse(readFileSync(WORKERS, 'utf8'));
  } catch {
    throw new Error('dist/test-tree is not built: run `npm run test:unit`, which builds it first.');
  }
}

export default {
  files: workers(),
  workerThreads: false,
  // Measured on 2 cores: 3 workers at a time 52-54 s, 2 61 s, 4 58 s, 6 58 s (many tests wait on a
  // child process or a timer, so one more worker than cores keeps both busy).
  concurrency: 3,
  timeout: '120s',
};
