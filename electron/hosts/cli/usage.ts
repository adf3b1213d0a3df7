// The CLI's help: one entry per command (`shopfleet help orders list`, `shopfleet orders list --help`),
// the whole list for `shopfleet help`, and the errors that mean "bad arguments" (exit 2) and "the
// API refused" (exit 1).
import { CARRIER_CODES } from '../../shared/carriers.ts';
import { EXPORT_COLUMNS } from '../../shared/contract.ts';

export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose usage to show under the message (set by main from the command words). */
  command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** An API Result that came back not ok (exit code 1). */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Which orders a command works on: the same flags for every command that takes orders. */
export const SELECTION_USAGE = `  which orders — the same flags for every command that takes orders (the workbench's filter bar
  and search box); repeatable flags also take comma-separated lists:
    --orders REF[,REF]     order ids or platform order numbers (a number two shops share: use the id)
    --queue Q              a status tab: all, abnormal, unpaid, after_sale, held, pending_review,
                           awaiting_print, printed, shipped, completed, closed   (alias: --tab)
    --status S[,S]         the platform order status: unpaid, awaiting_shipment, shipped, completed,
                           closed. A tab name that is no status (e.g. --status awaiting_print) means
                           that tab, as --queue does.
    --shop ID|NAME         a shop id or exact shop name
    --platform P[,P]       taobao, tmall, pdd, jd, douyin, kuaishou, sandbox
    --province P[,P]       receiver province, e.g. 浙江省
    --sku TEXT             product title fragment or outer SKU code
    --q TEXT               search: order number, buyer, receiver, phone last four, address, title,
                           SKU code   (alias: --search)
    --abnormal R[,R]       incomplete_address, invalid_phone, unmatched_sku, buyer_message, refund_requested
    --seller-flag N[,N]    seller flag (旗帜) 0–5, 0 = none
    --tag ID|NAME          orders with this tag
    --type normal|presale
    --has-message          with a buyer message        --has-memo   with a seller memo
    --unread               not yet marked read
    --paid-from DATE  --paid-to DATE  --created-from DATE  --created-to DATE
                           DATE: YYYY-MM-DD (China time; a -to day is included) or an ISO time with a zone`;

const USER_USAGE = `    --user NAME|ID         act as this station user (their role applies); default: the station owner
                           (joined to a team hub: a person of the team, password or PIN on stdin)`;

interface CommandHelp {
  /** The usage line(s) after "shopfleet ". */
  synopsis: string;
  /** What it does, indented by two spaces in the full list. */
  about: string;
  /** Only in the command's own help: flags, examples. */
  details?: string;
}

export const COMMANDS: Record<string, CommandHelp> = {
  serve: {
    synopsis: 'serve [--db FILE] [--port N] [--no-demo] [--no-sync] [--open]',
    about: 'Serve the workbench on 127.0.0.1 and print its URL with the session token. The renderer\nis rebuilt first when its sources are newer than the build.',
  },
  demo: {
    synopsis: 'demo --db FILE --orders N [--shops N] [--seed N]',
    about: 'Build a demo database of that size (progress on stderr).',
  },
  'orders list': {
    synopsis: 'orders list --db FILE [which orders] [--limit N | --all] [--json]',
    about: 'List orders with their items; --json prints one JSON array.',
    details: SELECTION_USAGE,
  },
  'orders review': {
    synopsis: 'orders review --db FILE <which orders> [--user U] [--json]',
    about: 'Review (审单) the orders: pending review → awaiting print.',
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'orders hold': {
    synopsis: 'orders hold --db FILE <which orders> --reason TEXT [--user U] [--json]',
    about: 'Hold (挂起) the orders with a reason; they leave the work queues until released.',
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'orders release': {
    synopsis: 'orders release --db FILE <which orders> [--user U] [--json]',
    about: 'Release held orders back to their queue.',
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'orders tag': {
    synopsis: 'orders tag --db FILE <which orders> [--add TAG[,TAG]] [--remove TAG[,TAG]] [--user U] [--json]',
    about: 'Add or remove tags (by name or id; see the workbench\'s tag list).',
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'orders flag': {
    synopsis: 'orders flag --db FILE <which orders> [--flag 0-5] [--memo TEXT | --clear-memo] [--user U] [--json]',
    about: 'Set the seller flag (旗帜, 0 = none) and/or the seller memo (备注); pushed to the platform.\n"orders memo" is the same command.',
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'orders ship': {
    synopsis: 'orders ship --db FILE --order REF --carrier CODE --waybill NO [--user U] [--json]\n       orders ship --db FILE --printed <which orders> [--user U] [--json]',
    about: `Mark shipped (发货) and queue the platform's online send: one order with a carrier and waybill
number, or (--printed) the orders whose labels were printed, with the waybills on those labels.
Carriers: ${CARRIER_CODES.join(', ')}.`,
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  export: {
    synopsis: 'export --db FILE [which orders] [--columns a,b,c] --out FILE.xlsx|FILE.csv',
    about: 'Export the orders (default every order) to a spreadsheet.',
    details: `${SELECTION_USAGE}\n\n  columns (default all): ${EXPORT_COLUMNS.join(',')}`,
  },
  'shops add': {
    synopsis:
      'shops add --db FILE --platform taobao|tmall|pdd|jd|douyin|kuaishou --name NAME --app-key K\n       [--app-secret S] [--access-token T] [--refresh-token R] [--secrets-stdin] [--gateway URL]',
    about: 'Connect a shop (secrets encrypted at rest; creates the database if needed); prints its id.',
    details: `  Secrets are best kept off the command line (it shows in \`ps\` and the shell history). Each one
  not given as a flag is read from the environment, or with --secrets-stdin from standard input:
    SHOPFLEET_APP_SECRET, SHOPFLEET_ACCESS_TOKEN, SHOPFLEET_REFRESH_TOKEN (optional)
    --secrets-stdin: lines "app-secret=…", "access-token=…", "refresh-token=…" (or JSON
                     {"appSecret":…,"accessToken":…,"refreshToken":…})
  Example:  printf 'app-secret=%s\\naccess-token=%s\\n' "$S" "$T" | shopfleet shops add --db F \\
              --platform pdd --name 我的拼多多店 --app-key K --secrets-stdin`,
  },
  'shops list': {
    synopsis: 'shops list --db FILE [--json]',
    about: 'Shops with their state, last successful sync and last error (never secrets).',
  },
  'shops authorize': {
    synopsis: 'shops authorize --db FILE --shop ID|NAME [--open] [--oauth-base URL]',
    about: `Authorise the shop on its platform (OAuth): prints the URL (--open opens it), then waits
for the browser's redirect to 127.0.0.1 or a pasted code/redirect URL on stdin. Exit 0
when authorised. --oauth-base points the shop at another OAuth host (the sandbox's).`,
  },
  'printers add': {
    synopsis: 'printers add --db FILE --name N --uri tcp://HOST:9100|usb:/dev/usb/lp0|cups:QUEUE|spooler:NAME\n       --lang tspl|zpl|escpos|pdf [--dpi 203|300] [--documents waybill,pick_list,packing_slip] [--user U]',
    about: 'Add a printer (creates the database if needed); prints its id.',
  },
  'printers list': {
    synopsis: 'printers list --db FILE [--json]',
    about: 'Printers with their address, language, DPI, documents and paused state.',
  },
  'print jobs': {
    synopsis: 'print jobs --db FILE [--printer ID|NAME] [--state S[,S]] [--batch ID] [--limit N] [--json]',
    about: `The print queue in print order: state (queued, sending, sent, confirmed, failed,
uncertain, cancelled), seq/total, reprints and the last error in words. --limit: the newest N
jobs (1 to 5000, default 5000), still shown in print order.`,
  },
  'print labels': {
    synopsis:
      'print labels --db FILE <which orders> --printer ID|NAME\n       [--template 76x130|100x150|100x180] [--sort sku|shop|paidAt|province] [--account ID] [--user U] [--json]',
    about: `Print waybill labels: pre-checks, waybill numbers as needed, one label per package in the
chosen order with seq/total, sent in this process. Running it again prints nothing twice.
When a printer's lane is held by an uncertain or failed label it says which, and the command
that answers it. Exit 1 while any label of the command is unprinted (each order listed on
stderr with its reason).`,
    details: `${SELECTION_USAGE}\n${USER_USAGE}`,
  },
  'print answer': {
    synopsis: 'print answer --db FILE --job ID --printed|--reprint [--user U]',
    about: `Answer an uncertain label (a crash or a lost connection mid-send): --printed if it came out,
--reprint to print it again (marked 重打). Then the labels waiting behind it are sent.`,
  },
  'print retry': {
    synopsis: 'print retry --db FILE --job ID [--user U]',
    about: 'Send a failed job again (after fixing the printer); the labels waiting behind it follow.',
  },
  'print cancel': {
    synopsis: 'print cancel --db FILE --job ID [--reason TEXT] [--user U]',
    about: 'Cancel a job that has not printed; its printer\'s lane moves on.',
  },
  'print reprint': {
    synopsis: 'print reprint --db FILE --job ID --reason TEXT [--printer ID|NAME] [--user U]',
    about: 'Reprint a printed label (same waybill, marked 重打) with a reason.',
  },
  'print picklist': {
    synopsis: 'print picklist --db FILE <which orders> --out FILE.pdf|FILE.bin [--format pdf|escpos] [--width 58|80]',
    about: `Pick list (拣货单): the orders' lines summed by outer SKU code, sorted by 储位; A4 PDF or
ESC/POS bytes for a 58/80 mm receipt printer (Chinese as GB18030; send the .bin raw).`,
    details: SELECTION_USAGE,
  },
  'print slips': {
    synopsis: 'print slips --db FILE <which orders> --out FILE.pdf|FILE.bin [--format pdf|escpos] [--width 58|80]',
    about: 'Packing slips (发货单), one per order: receiver as stored, items, totals, message, memo.',
    details: SELECTION_USAGE,
  },
  'waybills list': {
    synopsis: 'waybills list --db FILE [--json]',
    about: 'Waybill accounts (面单账号) with their carrier, kind and, for pools, numbers free and used.',
  },
  'waybills add': {
    synopsis: `waybills add --db FILE --name N --carrier CODE --kind pool|platform [--shop ID|NAME]
       [--for-shops ID|NAME,...] [--sender-name N --sender-mobile M --sender-province P
       --sender-city C [--sender-district D] --sender-address A] [--option KEY=VALUE ...] [--user U]`,
    about: `Add a waybill account; prints its id. A pool holds numbers you load (waybills range/import);
a platform account takes numbers from the platform's e-waybill service of --shop.
Carriers: ${CARRIER_CODES.join(', ')}.`,
  },
  'waybills range': {
    synopsis: 'waybills range --db FILE --account ID|NAME --start N --end N [--prefix P] [--width N] [--skip-existing] [--user U]',
    about: 'Add the numbers prefix+start … prefix+end (zero-padded to --width) to a pool account.',
  },
  'waybills import': {
    synopsis: 'waybills import --db FILE --account ID|NAME --file FILE.xlsx|FILE.csv|FILE.txt [--skip-bad] [--user U]',
    about: `Add the numbers in a file's first column to a pool account. All or nothing: bad rows are
listed and nothing is added, unless --skip-bad. Exit 1 when nothing was imported.`,
  },
  'skus import': {
    synopsis: 'skus import --db FILE --file FILE.xlsx|FILE.csv [--dry-run] [--json] [--user U]',
    about: `Add and change SKUs from a file (UTF-8 with or without BOM, GBK as Excel saves it). Headers:
商家编码, 商品名称, 规格, 条码, 成本价(元), 重量(克), 储位, 安全库存, 预警库存 (or English).
All or nothing: refused rows are listed on stderr (line, field, problem) and nothing is written;
exit 1 when any row is refused. A blank cell leaves that field as it is. --dry-run only reports.`,
  },
  'skus list': {
    synopsis: 'skus list --db FILE [--q TEXT] [--json]',
    about: 'The SKU catalogue by outer code; --q matches a code, a barcode or part of a title.',
  },
  'warehouses add': {
    synopsis: 'warehouses add --db FILE --code C --name N [--regions 浙江,江苏] [--address A] [--priority N] [--json] [--user U]',
    about: 'Add a warehouse (仓库); --regions: the provinces it serves.',
  },
  'warehouses list': {
    synopsis: 'warehouses list --db FILE [--json]',
    about: 'The warehouses, highest priority first.',
  },
  'stock receive': {
    synopsis: 'stock receive --db FILE --sku CODE --warehouse C --quantity N [--reference TEXT] [--request-id ID] [--json] [--user U]',
    about: `Receive (入库) units into a warehouse. --request-id: sending the same id again writes nothing new.`,
  },
  'stock count': {
    synopsis: 'stock count --db FILE --sku CODE --warehouse C --counted N [--reference TEXT] [--request-id ID] [--json] [--user U]',
    about: 'Record a stock count (盘点): the movement is the counted figure minus on hand.',
  },
  'stock adjust': {
    synopsis: 'stock adjust --db FILE --sku CODE --warehouse C --delta N --reason TEXT [--request-id ID] [--json] [--user U]',
    about: 'Adjust (调整) on hand by N (negative to take away), with the reason in words.',
  },
  'stock transfer': {
    synopsis: 'stock transfer --db FILE --sku CODE --from C --to C --quantity N [--reference TEXT] [--request-id ID] [--json] [--user U]',
    about: 'Move units between warehouses (调拨): two movements of one operation.',
  },
  'stock correct': {
    synopsis: 'stock correct --db FILE --movement ID --reason TEXT [--json] [--user U]',
    about: 'Reverse a mistaken movement (冲正) with a row of the opposite delta (both rows of a transfer); once.',
  },
  'stock list': {
    synopsis: 'stock list --db FILE [--warehouse C] [--sku CODE] [--low] [--json]',
    about: `One row per SKU and warehouse: sku, warehouse, onHand (Σ movements), reserved, available
(onHand − reserved − safety), safety, threshold, low (available ≤ threshold).`,
  },
  'stock ledger': {
    synopsis: 'stock ledger --db FILE --sku CODE [--warehouse C] [--limit N] [--json]',
    about: "A SKU's movements, newest first, each with on hand in its warehouse right after it.",
  },
  'stock push': {
    synopsis: 'stock push --db FILE [--shop ID|NAME] [--dry-run] [--json] [--user U]',
    about: `Tell every shop (or one) its figure of every mapped SKU now, from committed stock and each
shop's allocation, and send it; --dry-run only prints the figures. One row per shop and platform SKU:
shop, sku, quantity (what it is or would be told). Skipped shops on stderr. Exit 1 when a push was
refused or failed.`,
  },
  'mapping pull': {
    synopsis: 'mapping pull --db FILE [--shop ID|NAME] [--json] [--user U]',
    about: `Pull each shop's products and SKUs (商品对应) from its platform, then map by outer code what
nobody mapped by hand. Per shop: listed, new, auto-matched, quarantined (each on stderr with why),
no longer listed (kept, flagged). Exit 1 when any shop failed.`,
  },
  'mapping list': {
    synopsis: 'mapping list --db FILE [--shop ID|NAME] [--unmapped] [--q TEXT] [--json]',
    about: "The shops' platform SKUs and the local SKU (商家编码) each is mapped to, unmapped first.",
  },
  'mapping import': {
    synopsis: 'mapping import --db FILE --file FILE.xlsx|FILE.csv [--dry-run] [--json] [--user U]',
    about: `Map platform SKUs from a file: 店铺, 平台商品ID, 平台SKU ID, 商家编码 (the columns of an export).
All or nothing: refused rows on stderr (line, field, problem); exit 1 when any row is refused.`,
  },
  'bundles set': {
    synopsis: 'bundles set --db FILE --sku CODE --component CODE[:N] [--component CODE[:N] ...] [--json] [--user U]',
    about: 'Make a SKU a bundle (组合装) of these plain SKUs, N units each (default 1), replacing any it had.',
  },
  'bundles list': {
    synopsis: 'bundles list --db FILE [--json]',
    about: 'Every bundle with its components.',
  },
  'bundles remove': {
    synopsis: 'bundles remove --db FILE --sku CODE [--user U]',
    about: 'The bundle becomes a plain SKU again.',
  },
  sync: {
    synopsis: 'sync --db FILE [--shop ID|NAME] [--since ISO]',
    about: 'One sync round for the shop(s); --since re-pulls from that time. Exit 1 if any shop failed.',
  },
  sandbox: {
    synopsis: 'sandbox --platform taobao|pdd|jd|douyin|kuaishou --port N [--orders N] [--seed N]\n       [--oauth [--oauth-port N]]',
    about: `Run that platform's loopback gateway with generated orders until Ctrl+C; prints its
URL and credentials for "shops add". --oauth also runs the OAuth sandbox and prints
the --oauth-base for "shops authorize".`,
  },
  'label render': {
    synopsis: 'label render --db FILE --order ID --out FILE.pdf|FILE.png [--template 76x130|100x150|100x180]\n       [--dpi 203|300] [--package N] [--reprint]',
    about: `One order's waybill label: PDF (vector preview) or PNG (the printer's 1-bit raster).
Without a waybill yet it is a sample marked 样张/SAMPLE.`,
  },
  call: {
    synopsis: 'call METHOD --db FILE [--input JSON | --input -] [--user U]',
    about: `Call any API method (see \`methods\` in electron/shared/contract.ts) with the same validation
and roles as the workbench; prints its result as JSON. --input - reads the JSON from stdin.
Refused: exit 1 with the error's code and words on stderr. Print jobs it queues are sent by
the running station or the next print command.`,
    details: `${USER_USAGE}
  Example:  shopfleet call orders.counts --db F --input '{"filter":{"queue":"awaiting_print"}}'`,
  },
  'hub serve': {
    synopsis: 'hub serve [--data DIR | --database-url URL] [--port N] [--host ADDR]',
    about: `Run the team hub and print its http://127.0.0.1:PORT URL. The data lives in PGlite under
--data (default ./hub-data), or in PostgreSQL at --database-url / $DATABASE_URL. --port 0 picks
a free port (default 5180); it listens on 127.0.0.1 unless --host says otherwise (0.0.0.0: the LAN).`,
  },
  'hub team create': {
    synopsis: 'hub team create --data DIR|--database-url URL --team NAME --owner USER',
    about: "Create the hub's team and its owner; the owner's password is read from standard input.",
  },
  'hub invite': {
    synopsis: 'hub invite --hub URL --user U --role R [--shops ID,ID] [--owner USER] [--team NAME] [--ttl MINUTES] [--set-password] [--set-pin]',
    about: `Make (or update) the person U with role R (owner, operator, service, packer, finance) and
optional shops, and print a one-time join code for a station as the last line. Signs in as the
team's owner (or --owner) with the password read from standard input. --set-password and --set-pin
give U the password they sign in with at a station and a 4-8 digit PIN for the quick switch, each on
the next line of standard input.`
  },
  'hub credentials': {
    synopsis: 'hub credentials --hub URL [--sharing on|off] [--audit] [--owner USER] [--team NAME] [--json]',
    about: `Whether the hub keeps each shop's authorisation for the station that takes the shop over
(sealed under the hub's credential key), and whether that key is set. --sharing off makes the hub
forget every one it keeps (a takeover then needs the shop authorised on that station); --audit lists
who uploaded or fetched which shop's authorisation, when. Signs in as the team's owner (or --owner)
with the password read from standard input.`,
  },
  'station join': {
    synopsis: 'station join --db FILE --hub URL --code CODE --name NAME [--user U] [--json]',
    about: `Join this station to a team hub with a one-time code (owner only), then sync once. The
first station of a new team brings the orders, shops and stock it holds; a later one is filled from
the hub. The station token is kept encrypted like the shops' secrets.`,
  },
  'station sync': {
    synopsis: 'station sync --db FILE [--json]',
    about: 'One push and pull with the hub: pushed, pulled, refused, cursor. Exit 1 if the hub cannot be reached or refuses.',
  },
  'station status': {
    synopsis: 'station status --db FILE [--json]',
    about: 'Where the station stands with its hub (no network): connected, last push/pull, ops waiting, ops refused with their reasons, cursor.',
  },
  'station quotas': {
    synopsis: 'station quotas set --db FILE --sku CODE --station NAME (--quantity N | --remove) [--warehouse CODE] [--user U] [--json]\n       station quotas list --db FILE [--sku CODE] [--json]',
    about: `离线配额: how many units of a SKU a station may commit while it cannot reach the hub (owner or
operator). set asks the hub with the station's token; if the station joined as someone who may not
set quotas, the signed-in person's (or --user's) hub password is read from stdin. --warehouse bounds
one warehouse (default: all together). list shows the quotas this station pulled (no network).`,
  },
  help: { synopsis: 'help [command]', about: 'This list, or one command\'s help (also: shopfleet COMMAND --help).' },
};

const FOOTER = `--db defaults to $SHOPFLEET_DATA/shopfleet.db, else ~/.shopfleet/shopfleet.db.
Exit codes: 0 ok, 1 the API refused or failed, 2 bad arguments.
`;

const indent = (text: string, by: string): string => text.split('\n').map((l) => (l === '' ? l : `${by}${l}`)).join('\n');

export const USAGE = `Usage: shopfleet <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.synopsis.replace(/\n {7}/g, '\n          ')}\n${indent(c.about, '          ')}`)
  .join('\n')}

${SELECTION_USAGE}

Each command's own help: shopfleet help COMMAND (e.g. shopfleet help print labels).
${FOOTER}`;

/** The command groups ("orders", "print", …) and their subcommands. */
function groupOf(words: string): string[] {
  return Object.keys(COMMANDS).filter((k) => k.startsWith(`${words} `));
}

/** The help for `words` ("orders list", "orders", "export"), or null when there is no such command. */
export function helpFor(words: string): string | null {
  const key = words === 'orders memo' ? 'orders flag' : words;
  const one = COMMANDS[key];
  if (one) {
    const details = one.details ? `\n\n${one.details}` : '';
    return `Usage: shopfleet ${one.synopsis}\n\n${indent(one.about, '  ')}${details}\n\n${FOOTER}`;
  }
  const group = groupOf(key);
  if (group.length === 0) return null;
  const lines = group.map((k) => {
    const c = COMMANDS[k] as CommandHelp;
    return `  ${c.synopsis.replace(/\n {7}/g, '\n          ')}\n${indent(c.about, '          ')}`;
  });
  return `Usage: shopfleet ${key} <${group.map((k) => k.slice(key.length + 1)).join('|')}> [options]\n\n${lines.join('\n')}\n\nEach one's own help: shopfleet help ${key} ${group[0]?.slice(key.length + 1)}\n${FOOTER}`;
}

/** Under a usage error: the command's usage line and where its whole help is (the full text would bury the error). */
export function shortUsageFor(words: string): string | null {
  const key = words === 'orders memo' ? 'orders flag' : words;
  const one = COMMANDS[key];
  if (one) return `Usage: shopfleet ${one.synopsis}\nMore: shopfleet help ${words}\n`;
  return helpFor(key);
}
