// Waybill accounts (电子面单账号) and number pools. Handlers: electron/core/waybills/api.ts.
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from '../carriers.ts';
import { ALL_ROLES, MANAGERS } from '../roles.ts';
import { lineText, nameSchema } from '../text-guard.ts';
import { id, MAX_FILTER_SHOPS } from './common.ts';
import { type MethodDecl, out } from './define.ts';

/** A shop's platform e-waybill service, or a self-managed pool of numbers. */
export const WAYBILL_ACCOUNT_KINDS = ['platform', 'pool'] as const;
export type WaybillAccountKind = (typeof WAYBILL_ACCOUNT_KINDS)[number];

export const waybillAccountAddSchema = z
  .object({
    name: nameSchema('account name', 60),
    carrierCode: z.enum(CARRIER_CODES, { error: `carrier must be one of: ${CARRIER_CODES.join(', ')}` }),
    kind: z.enum(WAYBILL_ACCOUNT_KINDS),
    shopId: id.nullable().default(null),
    sender: z
      .object({
        name: nameSchema('sender name', 40),
        mobile: z.string().trim().max(20, 'a phone number').regex(/^[0-9+\- ]{6,20}$/, 'a phone number'),
        province: lineText(z.string().trim().min(1).max(20)),
        city: lineText(z.string().trim().min(1).max(30)),
        district: lineText(z.string().trim().max(30)).default(''),
        address: lineText(z.string().trim().min(1).max(200)),
      })
      .strict()
      .nullable()
      .default(null),
    shopIds: z.array(id).max(MAX_FILTER_SHOPS, `at most ${MAX_FILTER_SHOPS} shops`).default([]),
    options: z
      .record(lineText(z.string().min(1).max(64)), lineText(z.string().max(2000, 'an option is at most 2,000 characters')))
      .refine((o) => Object.keys(o).length <= 32, 'at most 32 options')
      .default({}),
  })
  .strict();

/** The serial part of a waybill number range (digits after the prefix): 15 digits at most. */
export const MAX_WAYBILL_SERIAL = 999_999_999_999_999;
/** Numbers one range adds (waybills/pool.ts MAX_RANGE checks it again). */
export const MAX_WAYBILL_RANGE = 1_000_000;

export interface WaybillAccountInfo {
  id: string;
  name: string;
  carrierCode: CarrierCode;
  kind: WaybillAccountKind;
  shopId: string | null;
  settings: {
    sender: { name: string; mobile: string; province: string; city: string; district: string; address: string } | null;
    shopIds: string[];
    options: Record<string, string>;
  };
  createdAt: number;
  /** Pool accounts: numbers free and used; null for platform accounts. */
  pool: { free: number; used: number } | null;
}

export interface WaybillImportResult {
  /** False when bad rows stopped the import (nothing was added). */
  imported: boolean;
  added: number;
  rows: number;
  /** The first 100 bad rows by line; badTotal and badCounts count them all. */
  bad: { line: number; value: string; problem: WaybillImportProblem; message: string }[];
  badTotal: number;
  badCounts: Partial<Record<WaybillImportProblem, number>>;
}
export type WaybillImportProblem = 'blank' | 'duplicate_in_file' | 'already_in_pool' | 'bad_characters';

export const waybillsMethods = {
  'waybillAccounts.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['waybill_accounts', 'waybill_numbers', 'packages'],
    input: z.object({}).strict(),
    output: out<WaybillAccountInfo[]>(),
  },
  'waybillAccounts.add': {
    kind: 'command',
    roles: MANAGERS,
    input: waybillAccountAddSchema,
    output: out<WaybillAccountInfo>(),
  },
  /** Add prefix + start..end (zero-padded to width) to a pool account. */
  'waybillAccounts.addRange': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        accountId: id,
        prefix: z.string().trim().regex(/^[A-Za-z0-9]*$/, '前缀只能是字母和数字').max(20).default(''),
        start: z.number().int().nonnegative().max(MAX_WAYBILL_SERIAL, '起始号最多 15 位数字'),
        end: z.number().int().nonnegative().max(MAX_WAYBILL_SERIAL, '结束号最多 15 位数字'),
        width: z.number().int().min(1).max(30).optional(),
        skipExisting: z.boolean().default(false),
      })
      .strict()
      .refine((v) => v.end >= v.start, '结束号不能小于起始号')
      .refine((v) => v.end - v.start < MAX_WAYBILL_RANGE, { path: ['end'], message: `一次最多添加 ${MAX_WAYBILL_RANGE.toLocaleString('en-US')} 个单号，请分段添加` }),
    output: out<{ added: number; skipped: number }>(),
  },
  /** Numbers from an .xlsx or .csv file (first column); all-or-nothing unless skipBad. */
  'waybillAccounts.importNumbers': {
    kind: 'command',
    roles: MANAGERS,
    input: z
      .object({
        accountId: id,
        fileName: lineText(z.string().trim().min(1).max(255).regex(/\.(xlsx|csv|txt)$/i, '请导入 .xlsx 或 .csv 文件')),
        base64: z.string().min(1).max(70_000_000),
        skipBad: z.boolean().default(false),
      })
      .strict(),
    output: out<WaybillImportResult>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type WaybillsMethod = keyof typeof waybillsMethods;
