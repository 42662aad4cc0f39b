import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The official EHF validator (Peppol BIS Billing 3.0 + EN 16931 + UBL 2.1 XSD) kept
 * in the development workspace, called IN PLACE — nothing of it is copied into the
 * project. One setting: CONFORMANCE_DIR (default `../shared/conformance`, relative
 * to the project root; an absolute path is taken as it is).
 *
 * Without the validator the conformance tests are skipped with a note saying why,
 * except when CI=true: there a missing validator is a failure, never a skip.
 * Usage: `describe.skipIf(shouldSkipConformance('name'))(…)`, `requireValidator()` first
 * in beforeAll, then ONE `validateEhfFiles([...all files])` per run.
 */

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export interface ConformanceSetting {
  /** Absolute folder holding ehf/validate-ehf. */
  dir: string;
  validateEhf: string;
  isCi: boolean;
}

/** Reads CONFORMANCE_DIR and CI (relative CONFORMANCE_DIR: from the project root). */
export function conformanceSetting(env: NodeJS.ProcessEnv = process.env): ConformanceSetting {
  const dir = path.resolve(projectRoot, env.CONFORMANCE_DIR || '../shared/conformance');
  return { dir, validateEhf: path.join(dir, 'ehf', 'validate-ehf'), isCi: env.CI === 'true' };
}

const SETTING = conformanceSetting();
export const CONFORMANCE_DIR = SETTING.dir;

/** Why the validator cannot be used, or null when it can. */
export function missingValidatorReason(setting: ConformanceSetting = SETTING): string | null {
  if (fs.existsSync(setting.validateEhf)) return null;
  return `EHF validator not found at ${setting.validateEhf} (set CONFORMANCE_DIR to the folder holding ehf/validate-ehf)`;
}

/**
 * For `describe.skipIf(...)`: skip only when the validator is missing and this is not
 * CI, and say why on the console, so a skip is never silent. With CI=true the suite
 * runs and `requireValidator` fails it.
 */
export function shouldSkipConformance(suite: string, setting: ConformanceSetting = SETTING): boolean {
  const reason = missingValidatorReason(setting);
  if (reason === null || setting.isCi) return false;
  console.warn(`[conformance] skipping "${suite}": ${reason}. With CI=true this is a failure instead.`);
  return true;
}

/** Throws when the validator is missing (call first in a suite's beforeAll). */
export function requireValidator(setting: ConformanceSetting = SETTING): void {
  const reason = missingValidatorReason(setting);
  if (reason !== null) {
    throw new Error(`${reason}${setting.isCi ? ' — CI=true: a missing validator is a failure, not a skip' : ''}`);
  }
}

export interface Finding {
  severity: 'fatal' | 'warning';
  /** Schematron assert id (BR-CO-15, PEPPOL-EN16931-R003, NO-R-002 …), or XSD / XML / IO. */
  rule: string;
  message: string;
}

export interface ValidationRun {
  /** Findings per file, in the order the files were given (files without findings map to []). */
  findings: Map<string, Finding[]>;
  exitCode: number;
  stderr: string;
}

/**
 * Parses validate-ehf's report: one line per finding, `FILE: fatal|warning RULE-ID: message`,
 * grouped per file. A line that belongs to no given file, or has another shape, throws —
 * a report we cannot read must not pass as "no findings".
 */
export function parseValidatorReport(stdout: string, files: readonly string[]): Map<string, Finding[]> {
  const findings = new Map<string, Finding[]>(files.map((file) => [file, []]));
  // Longest first, so a file name that is a prefix of another cannot claim its lines.
  const byLength = [...files].sort((a, b) => b.length - a.length);
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const file = byLength.find((candidate) => line.startsWith(`${candidate}: `));
    const match = file ? /^(fatal|warning) (\S+?): ?(.*)$/.exec(line.slice(file.length + 2)) : null;
    if (!file || !match) throw new Error(`Unreadable validate-ehf line: ${line}`);
    findings.get(file)!.push({ severity: match[1] as Finding['severity'], rule: match[2]!, message: match[3]! });
  }
  return findings;
}

/**
 * Validates all files in ONE call (Java starts once: ~0.8 s plus ~10 ms per file).
 * Exit status 0 or 1 is a report; 2 (usage or tool failure) throws with its stderr.
 */
export async function validateEhfFiles(files: readonly string[], setting: ConformanceSetting = SETTING): Promise<ValidationRun> {
  requireValidator(setting);
  const { stdout, stderr, exitCode } = await new Promise<{ stdout: string; stderr: string; exitCode: number }>((resolve) => {
    execFile('bash', [setting.validateEhf, ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      resolve({ stdout: out, stderr: err, exitCode: code });
    });
  });
  if (exitCode !== 0 && exitCode !== 1) {
    throw new Error(`validate-ehf failed (exit ${exitCode}):\n${stderr}`);
  }
  return { findings: parseValidatorReport(stdout, files), exitCode, stderr };
}

/** One readable line per finding, for assertion messages. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.length === 0 ? '(none)' : findings.map((finding) => `${finding.severity} ${finding.rule}: ${finding.message}`).join('\n');
}
