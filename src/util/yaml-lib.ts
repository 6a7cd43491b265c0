// The yaml library behind a module of our own, for code that loads it lazily with `await import()`:
// in the bundled CLI a dynamic import of a CommonJS package yields only its default export, while a
// dynamic import of this ES module keeps the named ones.
export { parse, parseAllDocuments, stringify } from 'yaml';
