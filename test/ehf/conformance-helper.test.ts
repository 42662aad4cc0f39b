import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  conformanceSetting,
  missingValidatorReason,
  parseValidatorReport,
  requireValidator,
  shouldSkipConformance,
  validateEhfFiles,
} from '../helpers/conformance.js';

/** test/helpers/conformance.ts: the one setting, skip vs. CI failure, and reading validate-ehf's report. */

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const missing = path.join(os.tmpdir(), 'fakturaflyt-no-conformance-here');

describe('CONFORMANCE_DIR and CI', () => {
  it('defaults to ../shared/conformance from the project root; a relative value is taken from there too', () => {
    expect(conformanceSetting({}).dir).toBe(path.resolve(projectRoot, '../shared/conformance'));
    expect(conformanceSetting({ CONFORMANCE_DIR: 'x/y' }).validateEhf).toBe(path.resolve(projectRoot, 'x/y/ehf/validate-ehf'));
    expect(conformanceSetting({ CONFORMANCE_DIR: missing }).dir).toBe(missing);
    expect(conformanceSetting({ CI: 'true' }).isCi).toBe(true);
    expect(conformanceSetting({ CI: '1' }).isCi).toBe(false);
  });

  it('without a validator: skip with a console note outside CI; with CI=true no skip, and requireValidator fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const local = conformanceSetting({ CONFORMANCE_DIR: missing });
      expect(missingValidatorReason(local)).toContain(path.join(missing, 'ehf', 'validate-ehf'));
      expect(shouldSkipConformance('probe', local)).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('[conformance] skipping "probe": EHF validator not found'));

      const ci = conformanceSetting({ CONFORMANCE_DIR: missing, CI: 'true' });
      warn.mockClear();
      expect(shouldSkipConformance('probe', ci)).toBe(false);
      expect(warn).not.toHaveBeenCalled();
      expect(() => requireValidator(ci)).toThrow(/CI=true: a missing validator is a failure/);
      await expect(validateEhfFiles(['/tmp/x.xml'], ci)).rejects.toThrow(/not found/);
    } finally {
      warn.mockRestore();
    }
  });

  it('end to end: the matrix file is skipped (exit 0) locally and fails (exit 1) under CI=true without the validator', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'));
    const run = (extra: Record<string, string>) =>
      spawnSync('npx', ['vitest', 'run', 'test/ehf/ehf-conformance.test.ts', '--reporter=dot'], {
        cwd: projectRoot,
        env: { ...env, NO_COLOR: '1', CONFORMANCE_DIR: missing, ...extra },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const local = run({ CI: '' });
    expect(local.status, local.stdout + local.stderr).toBe(0);
    expect(local.stdout + local.stderr).toContain('[conformance] skipping "EHF conformance matrix"');
    const ci = run({ CI: 'true' });
    expect(ci.status, ci.stdout + ci.stderr).toBe(1);
    expect(ci.stdout + ci.stderr).toContain('CI=true: a missing validator is a failure, not a skip');
  }, 120_000);
});

describe('parseValidatorReport', () => {
  it('groups findings per file, longest file name first, keeping files without findings', () => {
    const files = ['/t/a.xml', '/t/a.xml.xml', '/t/clean.xml'];
    const report = [
      '/t/a.xml: fatal BR-CO-15: Invoice total amount with VAT (BT-112) = … [at /Invoice]',
      '/t/a.xml.xml: warning NO-R-002: For Norwegian suppliers: "Foretaksregisteret"',
      '/t/a.xml: fatal XSD: line 14: Element \'cbc:IssueDate\': \'30.06.2013\' is not a valid value',
      '',
    ].join('\n');
    const findings = parseValidatorReport(report, files);
    expect(findings.get('/t/a.xml')).toEqual([
      { severity: 'fatal', rule: 'BR-CO-15', message: 'Invoice total amount with VAT (BT-112) = … [at /Invoice]' },
      { severity: 'fatal', rule: 'XSD', message: "line 14: Element 'cbc:IssueDate': '30.06.2013' is not a valid value" },
    ]);
    expect(findings.get('/t/a.xml.xml')).toEqual([{ severity: 'warning', rule: 'NO-R-002', message: 'For Norwegian suppliers: "Foretaksregisteret"' }]);
    expect(findings.get('/t/clean.xml')).toEqual([]);
  });

  it('refuses a line it cannot read rather than passing it as "no findings"', () => {
    expect(() => parseValidatorReport('something else entirely', ['/t/a.xml'])).toThrow(/Unreadable/);
    expect(() => parseValidatorReport('/t/b.xml: fatal X: y', ['/t/a.xml'])).toThrow(/Unreadable/);
    expect(() => parseValidatorReport('/t/a.xml: error X: y', ['/t/a.xml'])).toThrow(/Unreadable/);
  });
});
