// `shopfleet call METHOD --db FILE [--input JSON|-] [--user U]`: any API method, through the same
// dispatch as the workbench's IPC and the web host — the method's schema validates the input and
// its roles decide who may call it. The result is printed as JSON; a refusal is exit 1 with the
// error's code and words on stderr.
import { parseArgs } from 'node:util';
import { methods } from '../../../shared/contract.ts';
import { actorFor } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function call(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { db: { type: 'string' }, input: { type: 'string' }, user: { type: 'string' } },
  });
  const [method, ...extra] = positionals;
  if (!method) throw new UsageError('call needs a METHOD, e.g. shopfleet call orders.counts --db FILE');
  if (extra.length > 0) throw new UsageError(`call takes one METHOD (got also: ${extra.join(' ')})`);
  // Refused here only so a typo does not open the database; dispatch refuses it the same way.
  if (!Object.prototype.hasOwnProperty.call(methods, method)) {
    const near = Object.keys(methods).filter((m) => m.split('.')[0] === method.split('.')[0]);
    throw new ApiFailure('UNKNOWN_METHOD', `call: UNKNOWN_METHOD — Unknown method "${method}"${near.length > 0 ? ` (${method.split('.')[0]}.*: ${near.join(', ')})` : ''}`);
  }
  const raw = values.input === '-' ? await readStdin() : (values.input ?? '{}');
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--input is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    // Standard input is either the JSON or the person's password, not both.
    const secret = async () => {
      throw new UsageError('--input - reads the JSON from standard input, where --user on a station joined to a team hub reads the password: give the JSON as --input JSON');
    };
    const actor = await (values.input === '-' ? actorFor(core, values.user, secret) : actorFor(core, values.user));
    const result = await core.call(method, input, actor);
    if (!result.ok) {
      process.stderr.write(`shopfleet: ${method}: ${result.error.code} — ${result.error.message}\n`);
      if (result.error.details !== undefined) process.stderr.write(`${JSON.stringify(result.error.details)}\n`);
      return 1;
    }
    await writeOut(`${JSON.stringify(result.value, null, 2) ?? 'null'}\n`);
    return 0;
  });
}
