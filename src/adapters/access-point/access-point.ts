import type { AccessPoint } from '../../app/ports.js';
import { createFolderAccessPoint } from './folder-access-point.js';
import { createHttpAccessPoint } from './http-access-point.js';

/** The AccessPoint port: each target kind goes to its adapter. */
export function createAccessPoint(options: { httpTimeoutMs: number }): AccessPoint {
  const http = createHttpAccessPoint({ timeoutMs: options.httpTimeoutMs });
  const folder = createFolderAccessPoint();
  return {
    deliver: (target, document) => (target.kind === 'http' ? http(target, document) : folder.deliver(target.path, document)),
    checkFolder: (path) => folder.checkFolder(path),
  };
}
