import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../src');

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(src, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(src, folder, file));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

/** The dependency arrows of ARCHITECTURE.md, checked on the source. */
describe('layer boundaries', () => {
  it('domain/ is pure: imports only domain/ (no node:*, no packages), no clock or randomness', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('domain')) {
      for (const specifier of importsOf(file)) {
        const resolved = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier;
        const inDomain = resolved.startsWith(path.join(src, 'domain'));
        if (!inDomain) offenders.push(`${path.relative(src, file)} → ${specifier}`);
      }
      const text = fs.readFileSync(file, 'utf8');
      if (/new Date\(\)|Date\.now\(\)|Math\.random\(\)/.test(text)) offenders.push(`${path.relative(src, file)} reads the clock or randomness`);
    }
    expect(offenders).toEqual([]);
  });

  it('app/ and db/ never import http/, adapters/ or main', () => {
    const offenders: string[] = [];
    for (const folder of ['app', 'db']) {
      for (const file of sourceFiles(folder)) {
        for (const specifier of importsOf(file)) {
          if (/\/(http|adapters)\/|\/main\.js$|\/cli\.js$/.test(specifier)) {
            offenders.push(`${path.relative(src, file)} → ${specifier}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only config.ts reads process.env', () => {
    const readers = [...sourceFiles('.')].filter(
      (file) => /process\.env\b/.test(fs.readFileSync(file, 'utf8')) && !file.endsWith('config.ts') && !file.endsWith('cli.ts'),
    );
    expect(readers.map((file) => path.relative(src, file))).toEqual([]);
  });
});
