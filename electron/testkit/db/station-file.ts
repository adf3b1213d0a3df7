// Test support for the database-file tests: a real station file with enough orders to span many
// pages, damage written into chosen pages, and a small tmpfs where the machine lets us mount one.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase } from '../../core/db/open.ts';

/** A station with one shop and `orders` orders (each a few hundred bytes), closed and checkpointed. */
export function makeStation(file: string, orders = 3000): void {
  const db = openDatabase(file);
  const c = db.$client;
  c.prepare("INSERT INTO shops (id, name, platform, created_at) VALUES ('s1', '杭州女装旗舰店', 'taobao', 1)").run();
  const insert = c.prepare(`INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, buyer_nick,
      receiver_name, receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, goods_fen,
      shipping_fen, discount_fen, paid_fen, item_count, created_at, paid_at, platform_updated_at, local_updated_at, content_hash, abnormal_flags)
    VALUES (?, 's1', 'taobao', ?, 'awaiting_shipment', 'WAIT_SELLER_SEND_GOODS', ?, '张伟', '138****0000', '浙江省', '杭州市', '西湖区', ?,
      1999, 0, 0, 1999, 1, ?, ?, ?, ?, 'h', 0)`);
  c.transaction(() => {
    for (let i = 0; i < orders; i++) {
      const t = 1_735_000_000_000 + i * 1000;
      insert.run(`o${i}`, String(100000000 + i), `买家${i}`, `文三路 ${i} 号 ${'某小区某幢某单元'.repeat(4)}`, t, t, t, t);
    }
  })();
  c.close();
}

/** The pages (1-based) of a table's b-tree, from SQLite's dbstat. */
export function pagesOf(file: string, table: string): number[] {
  const c = new Database(file, { readonly: true });
  try {
    return (c.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').all(table) as { pageno: number }[]).map((r) => r.pageno);
  } finally {
    c.close();
  }
}

/** Overwrite whole pages with a pattern, as a failing disk or a stray write would. */
export function corruptPages(file: string, pages: number[], pageSize = 4096): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const junk = Buffer.alloc(pageSize, 0xa5);
    for (const p of pages) fs.writeSync(fd, junk, 0, pageSize, (p - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

export const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Mount a tmpfs of `size` at `dir` (root only, and only where the kernel lets this process mount):
 * the real thing for a full disk and a read-only file system. False when it cannot.
 */
export function mountTmpfs(dir: string, size: string): boolean {
  if (!isRoot || process.platform !== 'linux') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  }
}

/** Whether this machine lets the tests mount a tmpfs (probed once in a scratch folder). */
export function canMountTmpfs(scratch: string): boolean {
  fs.mkdirSync(scratch, { recursive: true });
  try {
    if (!mountTmpfs(scratch, '64k')) return false;
    unmount(scratch);
    return true;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Fill the disk holding `dir` until it refuses another byte. */
export function fillDisk(dir: string): string {
  const filler = `${dir}/filler`;
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // The last partial block may leave a few bytes: fill those one at a time.
  const fd2 = fs.openSync(filler, 'a');
  try {
    for (;;) fs.writeSync(fd2, Buffer.alloc(1, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd2);
  }
  return filler;
}
