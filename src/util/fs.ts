import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readlink, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { FileAccessError, InputError } from './errors.js';

/**
 * Create a folder and the missing ones above it. Node's own `recursive: true` spins forever where the
 * kernel answers ENOENT for a folder that exists (under /proc); this walks up at most once per level.
 */
export async function makeFolder(path: string, mode = 0o755): Promise<void> {
  try {
    await mkdir(path, { mode });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw new FileAccessError('write', path, error);
    }
    if (code !== 'ENOENT' || dirname(path) === path) throw new FileAccessError('write', path, error);
  }
  await makeFolder(dirname(path), mode);
  try {
    await mkdir(path, { mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(path)).isDirectory()) return;
    throw new FileAccessError('write', path, error);
  }
}

/** fsync a folder, so a rename in it survives a crash; some filesystems refuse, which changes nothing. */
async function syncFolder(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on filesystems that cannot sync a folder: the rename is as durable as they allow
  } finally {
    await handle?.close();
  }
}

/**
 * Write a file atomically: a temp file beside it, fsync, rename over the target, fsync the folder, so a
 * reader (or a crash) sees the old content or the new, never half of it. `mode` applies from creation,
 * so a secret is never readable by others even for a moment. Creates the folder (lxdstack's own files
 * only: outputs a person names go through writeOutputFile). Failures are FileAccessError (exit 2).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const folder = dirname(path);
  await makeFolder(folder);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new FileAccessError('write', path, error);
  }
  await syncFolder(folder);
}

export interface OutputOptions {
  mode?: number;
  /** Where `-` writes. */
  stdout?: Writable;
}

/** What a chain of symlinks names, even when its end does not exist yet (a link to a file to create). */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    try {
      if (!(await lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw new FileAccessError('write', path, error);
    }
    current = resolve(dirname(current), await readlink(current));
  }
  throw new FileAccessError('write', path, { code: 'ELOOP' });
}

/**
 * Write an output a person named (`-o FILE`): `-` goes to stdout; a device or FIFO (/dev/null,
 * /dev/stdout) is written through, never replaced; a symlink is followed to what it names; a folder is
 * refused; a regular file (or a new one) is written atomically. The folder it goes in must exist.
 * Returns where the bytes went.
 */
export async function writeOutputFile(
  path: string,
  data: string | Uint8Array,
  options: OutputOptions = {},
): Promise<string> {
  if (path === '-') {
    if (!options.stdout) throw new InputError('`-` (standard output) is not a place this output can go.');
    options.stdout.write(data);
    return 'standard output';
  }
  const target = await followLinks(path);
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileAccessError('write', path, error);
  }
  if (info?.isDirectory()) throw new FileAccessError('write', path, { code: 'EISDIR' });
  if (info && !info.isFile()) {
    // A device, FIFO or socket: write through it, as a shell redirection would.
    let handle;
    try {
      // A FIFO nobody reads would block forever (past Ctrl-C): a non-blocking open fails at once
      // (ENXIO) instead; with a reader there, it is reopened for ordinary blocking writes.
      if (info.isFIFO()) await (await open(target, constants.O_WRONLY | constants.O_NONBLOCK)).close();
      handle = await open(target, 'w');
      await handle.writeFile(data);
    } catch (error) {
      throw new FileAccessError('write', path, error);
    } finally {
      await handle?.close();
    }
    return path;
  }
  try {
    if (!(await stat(dirname(target))).isDirectory()) throw { code: 'ENOTDIR' };
  } catch (error) {
    throw new FileAccessError('write', path, error);
  }
  await writeFileAtomic(target, data, options.mode ?? (info ? info.mode & 0o777 : 0o644));
  return path;
}

/** Whether an output path is written through rather than replaced: `-`, or a device or FIFO (also via a link). */
export async function isWriteThrough(path: string): Promise<boolean> {
  if (path === '-') return true;
  try {
    const info = await stat(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Read an input a person named, refusing anything but a regular file before opening it: a FIFO or a
 * device would block or never end. `maxBytes` bounds what is read.
 */
export async function readInputFile(path: string, what: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    // Non-blocking, so opening a FIFO returns at once instead of waiting for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    // Node's codes say little to a person: the common ones in words.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new InputError(`${what} ${path} does not exist; check the path.`);
    if (code === 'ELOOP')
      throw new InputError(
        `${what} ${path} is a symlink loop (its links lead back to themselves); point it at a real file.`,
      );
    throw new FileAccessError('read', path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new InputError(
        `cannot read ${path}: ${info.isDirectory() ? 'it is a folder' : 'it is not a regular file (a FIFO, device or socket)'}; ${what} must be a regular file.`,
      );
    }
    if (info.size > maxBytes) {
      throw new InputError(
        `${path}: the file is ${Math.round(info.size / 1024)} KiB, over the ${Math.round(maxBytes / 1024)} KiB limit for ${what}.`,
      );
    }
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new FileAccessError('read', path, error);
  } finally {
    await handle.close();
  }
}

/** Whether a path exists (any kind of file), without throwing. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
