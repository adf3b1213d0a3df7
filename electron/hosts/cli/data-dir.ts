// Where a station keeps its database when no --db is given: $SHOPFLEET_DATA, else ~/.shopfleet.
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHOPFLEET_DATA && env.SHOPFLEET_DATA.trim() !== '' ? path.resolve(env.SHOPFLEET_DATA) : path.join(os.homedir(), '.shopfleet');
}

export function defaultDbFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultDataDir(env), 'shopfleet.db');
}
