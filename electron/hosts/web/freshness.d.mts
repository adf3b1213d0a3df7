// Types for scripts/freshness.mjs (plain JavaScript so build scripts run it without tsx).
export function newestSource(root: string, entries: readonly string[]): { mtimeMs: number; file: string | null };
export function staleReason(root: string, stampFile: string, entries: readonly string[]): string | null;
export const RENDERER_SOURCES: readonly string[];
export function rendererStamp(distDir: string): string;
export const CLI_SOURCES: readonly string[];
export function cliStamp(outDir: string): string;
export function writeStamp(dir: string): void;
