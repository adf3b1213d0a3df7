// The CLI's usage text and the error that means "bad arguments" (exit code 2).
export class UsageError extends Error {
  override name = 'UsageError';
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

export const FILTER_USAGE = `  filters (the same as the workbench's filter bar and search box):
    --queue Q          a status tab: all, abnormal, unpaid, after_sale, held, pending_review,
                       awaiting_print, printed, shipped, completed, closed
    --status S[,S]     unpaid, awaiting_shipment, shipped, completed, closed
    --shop ID|NAME     a shop id or exact shop name (repeatable, or comma-separated)
    --platform P[,P]   taobao, tmall, pdd, jd, douyin, kuaishou, sandbox
    --province P[,P]   receiver province, e.g. 浙江省
    --sku TEXT         product title fragment or outer SKU code
    --q TEXT           search: order number, buyer, receiver, phone last four, address, title, SKU code`;

export const USAGE = `Usage: shopfleet <command> [options]

Commands:
  serve   [--db FILE] [--port N] [--no-demo] [--no-sync] [--open]
          Serve the workbench on 127.0.0.1 and print its URL with the session token.
  demo    --db FILE --orders N [--shops N] [--seed N]
          Build a demo database of that size (progress on stderr).
  orders list --db FILE [filters] [--limit N | --all] [--json]
          List orders with their items; --json prints one JSON array.
  export  --db FILE [filters] [--columns a,b,c] --out FILE.xlsx|FILE.csv
          Export the filtered orders (columns: see "shopfleet help export").
  shops add --db FILE --platform taobao|tmall|pdd|jd|douyin|kuaishou --name NAME
          --app-key K --app-secret S --access-token T [--refresh-token R] [--gateway URL]
          Connect a shop (secrets encrypted at rest; creates the database if needed); prints its id.
  shops list --db FILE [--json]
          Shops with their state, last successful sync and last error (never secrets).
  shops authorize --db FILE --shop ID|NAME [--open] [--oauth-base URL]
          Authorise the shop on its platform (OAuth): prints the URL (--open opens it), then waits
          for the browser's redirect to 127.0.0.1 or a pasted code/redirect URL on stdin. Exit 0
          when authorised. --oauth-base points the shop at another OAuth host (the sandbox's).
  printers add --db FILE --name N --uri tcp://HOST:9100|usb:/dev/usb/lp0|cups:QUEUE|spooler:NAME
          --lang tspl|zpl|escpos|pdf [--dpi 203|300] [--documents waybill,pick_list,packing_slip]
          Add a printer (creates the database if needed); prints its id.
  printers list --db FILE [--json]
          Printers with their address, language, DPI, documents and paused state.
  print jobs --db FILE [--printer ID|NAME] [--state S[,S]] [--batch ID] [--limit N] [--json]
          The print queue in print order: state (queued, sending, sent, confirmed, failed,
          uncertain, cancelled), seq/total, reprints and the last error in words.
  print labels --db FILE --orders ID,ID,...|--status awaiting_print --printer ID|NAME
          [--template 76x130|100x150|100x180] [--sort sku|shop|paidAt|province] [--account ID] [--json]
          Print waybill labels: pre-checks, waybill numbers as needed, one label per package in the
          chosen order with seq/total, sent in this process. Running it again prints nothing twice.
          Exit 1 when any order was not printed (each listed on stderr with its reason).
  print picklist --db FILE --orders ID,ID,...|--status awaiting_print --out FILE.pdf|FILE.bin
          [--format pdf|escpos] [--width 58|80]
          Pick list (拣货单): the orders' lines summed by outer SKU code, sorted by 储位; A4 PDF or
          ESC/POS bytes for a 58/80 mm receipt printer (Chinese as GB18030; send the .bin raw).
  print slips --db FILE --orders ID,ID,...|--status awaiting_print --out FILE.pdf|FILE.bin
          [--format pdf|escpos] [--width 58|80]
          Packing slips (发货单), one per order: receiver as stored, items, totals, message, memo.
  sync    --db FILE [--shop ID|NAME] [--since ISO]
          One sync round for the shop(s); --since re-pulls from that time. Exit 1 if any shop failed.
  sandbox --platform taobao|pdd|jd|douyin|kuaishou --port N [--orders N] [--seed N]
          [--oauth [--oauth-port N]]
          Run that platform's loopback gateway with generated orders until Ctrl+C; prints its
          URL and credentials for "shops add". --oauth also runs the OAuth sandbox and prints
          the --oauth-base for "shops authorize".
  label render --db FILE --order ID --out FILE.pdf|FILE.png [--template 76x130|100x150|100x180]
          [--dpi 203|300] [--package N] [--reprint]
          One order's waybill label: PDF (vector preview) or PNG (the printer's 1-bit raster).
          Without a waybill yet it is a sample marked 样张/SAMPLE.
  help    [command]

${FILTER_USAGE}

--db defaults to $SHOPFLEET_DATA/shopfleet.db, else ~/.shopfleet/shopfleet.db.
Exit codes: 0 ok, 1 the API refused or failed, 2 bad arguments.
`;
