// Ops a station writes under names that are not API methods: the steps one command takes in
// transactions of their own (printing labels makes packages, takes waybill numbers, queues jobs,
// and the print queue marks what came out) and commands the core runs for a method under an older
// or narrower name. The hub must know every op name a station pushes (docs/team-hub.md#mutators),
// so each of these is checked against the roles of the API method that leads to it.
import type { MethodName } from '../contract.ts';

export const STATION_OP_METHODS = {
  'waybills.ensurePackages': 'print.labels',
  'waybills.allocate': 'print.labels',
  'print.enqueue': 'print.labels',
  'print.markPrinted': 'print.labels',
  'print.retry': 'printJobs.retry',
  'print.cancel': 'printJobs.cancel',
  'print.reprint': 'printJobs.reprint',
  'print.resolveUncertain': 'printJobs.resolveUncertain',
  'print.confirmByScan': 'packing.scanWaybill',
  'waybills.addAccount': 'waybillAccounts.add',
  'waybills.addRange': 'waybillAccounts.addRange',
  'waybills.importNumbers': 'waybillAccounts.importNumbers',
  'orders.autoReview': 'orders.review',
  'printers.pause': 'printers.setPaused',
  'printers.resume': 'printers.setPaused',
} as const satisfies Record<string, MethodName>;
