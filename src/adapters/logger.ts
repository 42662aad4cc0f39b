import os from 'node:os';
import type { Logger } from '../app/ports.js';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * JSON lines in pino's shape (level number, time, pid, hostname, msg) for the parts that run
 * outside a request: start-up and the job worker. Written to stderr, so `--json` CLI output
 * on stdout stays one JSON object.
 */
export function createLogger(options: { level: LogLevel; bindings?: Record<string, unknown>; write?: (line: string) => void }): Logger {
  const threshold = LEVELS[options.level];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = { pid: process.pid, hostname: os.hostname(), ...options.bindings };
  const log = (level: Exclude<LogLevel, 'silent'>) => (fields: Record<string, unknown>, message: string) => {
    if (LEVELS[level] < threshold) return;
    const entry: Record<string, unknown> = { level: LEVELS[level], time: Date.now(), ...base, ...fields, msg: message };
    if (fields.err instanceof Error) entry.err = { type: fields.err.name, message: fields.err.message, stack: fields.err.stack };
    write(`${JSON.stringify(entry)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests, scripts). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
