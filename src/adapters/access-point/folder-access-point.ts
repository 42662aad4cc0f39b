import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AccessPointError, type AccessPointDocument, type AccessPointReceipt } from '../../app/ports.js';

/** `<documentNumber>-<deliveryId>.xml`: one name per delivery, so a retry replaces its own file and never adds one. */
export function folderFileName(document: Pick<AccessPointDocument, 'documentNumber' | 'deliveryId'>): string {
  const number = document.documentNumber.replace(/[^A-Za-z0-9_-]/g, '_');
  const id = document.deliveryId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${number}-${id}.xml`;
}

function codeOf(error: unknown): string {
  return (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Writes EHF documents into a folder that an access-point client (or anything else) picks
 * up. Atomic: the bytes go to a hidden temp file in the same folder (`.<name>.<random>.tmp`),
 * are flushed to disk, and the temp file is renamed onto the final name — a reader never
 * sees half a file, and a retry of the same delivery overwrites the same name. The folder
 * is not created at delivery time (a missing mount must fail and retry, not fill the
 * local disk); `checkFolder` creates it when the settings are saved.
 */
export function createFolderAccessPoint() {
  return {
    async deliver(folder: string, document: AccessPointDocument): Promise<AccessPointReceipt> {
      const name = folderFileName(document);
      const target = path.join(folder, name);
      const temp = path.join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        // Readable by the access-point client whatever user it runs as; guard the folder itself.
        const handle = await fs.open(temp, 'wx', 0o644);
        try {
          await handle.writeFile(document.xml, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(temp, target);
      } catch (error) {
        await fs.rm(temp, { force: true }).catch(() => undefined);
        // Retried: a full disk or a missing mount may be fixed before the attempts run out.
        throw new AccessPointError(`Could not write ${name} to ${folder}: ${codeOf(error)}`, { cause: error });
      }
      // Make the rename itself durable where the platform allows a directory fsync.
      const directory = await fs.open(folder, 'r').catch(() => null);
      if (directory) {
        await directory.sync().catch(() => undefined);
        await directory.close().catch(() => undefined);
      }
      return { messageId: name, response: `written to ${target}` };
    },

    async checkFolder(folder: string): Promise<{ code: string; message: string } | null> {
      if (!path.isAbsolute(folder)) {
        return { code: 'folder_path.not_absolute', message: 'The folder must be an absolute path, e.g. /var/lib/fakturaflyt/ehf-out' };
      }
      const probe = path.join(folder, `.fakturaflyt-probe-${randomBytes(6).toString('hex')}`);
      try {
        await fs.mkdir(folder, { recursive: true });
        const stat = await fs.stat(folder);
        if (!stat.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
        await fs.writeFile(probe, 'fakturaflyt', { flag: 'wx' });
        await fs.rm(probe, { force: true });
        return null;
      } catch (error) {
        await fs.rm(probe, { force: true }).catch(() => undefined);
        return { code: 'folder_path.not_writable', message: `The server cannot create or write to this folder (${codeOf(error)})` };
      }
    },
  };
}
