// The station's files hold buyers' names, phones and addresses: on POSIX they are the user's alone
// (files 0600, the data folder 0700), whatever the umask. SQLite creates a database 0644 and gives
// its -wal and -shm the database file's mode, so the database file is made (or tightened) 0600
// before SQLite opens it. Windows has no such modes (its ACLs already keep a profile's AppData to
// that user); nothing is changed there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const posix = process.platform !== 'win32';

/** Whether group or others have any access (so the mode needs tightening). */
const openToOthers = (mode: number): boolean => (mode & 0o077) !== 0;

/** chmod when the file exists, is ours and is open to others; a file that is gone or not ours is left alone. */
export function tightenFile(file: string): void {
  if (!posix) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return;
  }
  if (!st.isFile() || !ownedByMe(st) || !openToOthers(st.mode)) return;
  chmodIfAllowed(file, st.mode & 0o700);
}

/**
 * A read-only disk cannot take a new mode, and nothing on it can be written either: opening goes
 * on, and the write probe says what is wrong in those terms.
 */
function chmodIfAllowed(target: string, mode: number): void {
  try {
    fs.chmodSync(target, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EPERM') throw err;
  }
}

const ownedByMe = (st: fs.Stats): boolean => typeof process.getuid !== 'function' || st.uid === process.getuid();

/**
 * A folder that holds only the station's things: created 0700, and an existing one tightened when it
 * is ours — unless it is a folder that holds other things too (the home folder, the working folder,
 * a file system root, the temp folder), which is never changed.
 */
export function ensurePrivateDir(dir: string): void {
  const abs = path.resolve(dir);
  fs.mkdirSync(abs, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!posix) return;
  const shared = new Set([os.homedir(), process.cwd(), path.parse(abs).root, os.tmpdir()].map((p) => path.resolve(p)));
  if (shared.has(abs)) return;
  const st = fs.statSync(abs);
  if (ownedByMe(st) && openToOthers(st.mode)) chmodIfAllowed(abs, PRIVATE_DIR_MODE);
}

/**
 * The database file, created empty with 0600 when missing (SQLite takes an empty file as a new
 * database), else tightened; then its -wal and -shm, which SQLite makes with the database's mode
 * but which a station written before this may already have at 0644.
 */
export function preparePrivateDatabase(file: string): { created: boolean } {
  let created = false;
  if (posix && !fs.existsSync(file)) {
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tightenFile(f);
  return { created };
}

/** Remove the empty file preparePrivateDatabase made when the open then failed: no station was made. */
export function removeIfEmpty(file: string): void {
  try {
    if (fs.statSync(file).size === 0) fs.rmSync(file, { force: true });
  } catch {
    // Gone already, or not ours to remove.
  }
}

/** A copy only the user can read (backups, exports): copied, then 0600 before anyone else could need it. */
export function copyPrivateFile(from: string, to: string): void {
  fs.copyFileSync(from, to);
  if (posix) fs.chmodSync(to, PRIVATE_FILE_MODE);
}

/** Write a file that holds personal data (an export): created 0600. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  fs.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  // An existing file keeps its old mode through writeFileSync: tighten it too.
  tightenFile(file);
}
