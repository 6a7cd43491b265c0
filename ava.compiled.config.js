// `npm run test:unit`: the same tests compiled to JavaScript by scripts/build-tests.mjs, run without a
// TypeScript loader (package.json's ava config, with tsx, serves `npx ava FILE.ts`).
export default {
  files: ['dist/test-tree/test/**/*.test.js', '!dist/test-tree/test/**/*.real.test.js'],
  workerThreads: false,
  // Many tests wait on a child process or a timer: four files at a time keep both cores busy.
  concurrency: 4,
  timeout: '120s',
};
