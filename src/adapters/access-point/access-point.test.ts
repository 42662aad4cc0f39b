import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPointError, type AccessPointDocument } from '../../app/ports.js';
import { createAccessPoint } from './access-point.js';
import { folderFileName } from './folder-access-point.js';

const document: AccessPointDocument = {
  xml: '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice><cbc:Note>Kaffe &amp; kake – æøå</cbc:Note></Invoice>\n',
  documentNumber: 'KN-7',
  deliveryId: '0193a3b4-0000-7000-8000-00000000abcd',
  deliveryKey: '0193a3b4-1111-7000-8000-000000000001:ehf:1',
};

describe('folder access point', () => {
  const accessPoint = createAccessPoint({ httpTimeoutMs: 1000 });
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-folder-ap-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes <number>-<delivery id>.xml; the same delivery again replaces it, never a second file, no temp files left', async () => {
    const folder = path.join(root, 'out');
    fs.mkdirSync(folder);
    const first = await accessPoint.deliver({ kind: 'folder', path: folder }, document);
    expect(first.messageId).toBe(`KN-7-${document.deliveryId}.xml`);
    expect(fs.readdirSync(folder)).toEqual([first.messageId]);
    expect(fs.readFileSync(path.join(folder, first.messageId!), 'utf8')).toBe(document.xml);
    await accessPoint.deliver({ kind: 'folder', path: folder }, { ...document, xml: `${document.xml}<!-- retry -->` });
    expect(fs.readdirSync(folder)).toEqual([first.messageId]);
    expect(fs.readFileSync(path.join(folder, first.messageId!), 'utf8')).toContain('retry');
    await accessPoint.deliver({ kind: 'folder', path: folder }, { ...document, deliveryId: 'other-delivery' });
    expect(fs.readdirSync(folder).sort()).toEqual([first.messageId, 'KN-7-other-delivery.xml'].sort());
  });

  it('a missing folder is a temporary failure (not created at delivery time)', async () => {
    const missing = path.join(root, 'not-mounted');
    const error = await accessPoint.deliver({ kind: 'folder', path: missing }, document).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccessPointError);
    expect((error as AccessPointError).isPermanent).toBe(false);
    expect((error as Error).message).toContain('ENOENT');
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('checks a folder: absolute, created when missing, writable; leaves nothing behind', async () => {
    expect(await accessPoint.checkFolder('relative/path')).toMatchObject({ code: 'folder_path.not_absolute' });
    const created = path.join(root, 'new', 'deep');
    expect(await accessPoint.checkFolder(created)).toBeNull();
    expect(fs.readdirSync(created)).toEqual([]);
    const file = path.join(root, 'plain-file');
    fs.writeFileSync(file, 'x');
    expect(await accessPoint.checkFolder(file)).toMatchObject({ code: 'folder_path.not_writable' });
    expect(await accessPoint.checkFolder(path.join(file, 'below'))).toMatchObject({ code: 'folder_path.not_writable' });
  });

  it('file names keep only safe characters', () => {
    expect(folderFileName({ documentNumber: 'TEST-12/3', deliveryId: 'a b' })).toBe('TEST-12_3-a_b.xml');
  });
});

describe('HTTP access point', () => {
  const accessPoint = createAccessPoint({ httpTimeoutMs: 800 });
  let server: http.Server;
  let url = '';
  let answer: (request: http.IncomingMessage, response: http.ServerResponse) => void = (_request, response) => response.end();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => answer(request, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const target = () => ({ kind: 'http' as const, url, token: 'tok-123' });
  const outcome = async (status: number, body = '', headers: Record<string, string> = {}) => {
    answer = (_request, response) => response.writeHead(status, headers).end(body);
    return accessPoint.deliver(target(), document).then(
      (receipt) => ({ ok: true as const, receipt }),
      (error: unknown) => ({ ok: false as const, error: error as AccessPointError }),
    );
  };

  it('2xx is accepted, with the message id from a header or a JSON answer', async () => {
    expect(await outcome(202, '{"messageId":"m-1"}', { 'content-type': 'application/json' })).toMatchObject({ ok: true, receipt: { messageId: 'm-1' } });
    expect(await outcome(201, '', { 'x-message-id': 'hdr-9' })).toMatchObject({ ok: true, receipt: { messageId: 'hdr-9', response: 'HTTP 201' } });
    expect(await outcome(200, '{"id":42}')).toMatchObject({ ok: true, receipt: { messageId: '42' } });
    expect(await outcome(204)).toMatchObject({ ok: true, receipt: { messageId: null } });
  });

  it('408, 429 and 5xx are temporary; other 4xx and redirects are permanent, with the answer in the message', async () => {
    for (const status of [408, 429, 500, 502, 503]) {
      const result = await outcome(status, 'busy');
      expect(result.ok, String(status)).toBe(false);
      if (!result.ok) expect([result.error.isPermanent, result.error.status], String(status)).toEqual([false, status]);
    }
    for (const status of [400, 401, 403, 404, 409, 413, 422]) {
      const result = await outcome(status, 'nope: bad receiver');
      if (result.ok) throw new Error(`${status} accepted`);
      expect([result.error.isPermanent, result.error.status], String(status)).toEqual([true, status]);
      expect(result.error.message).toContain(`HTTP ${status}: nope: bad receiver`);
    }
    const redirect = await outcome(307, '', { location: 'https://elsewhere.example/in' });
    if (redirect.ok) throw new Error('redirect accepted');
    expect(redirect.error.isPermanent).toBe(true);
    expect(redirect.error.message).toContain('elsewhere.example');
  });

  it('no answer in time and no listener are temporary', async () => {
    answer = () => undefined;
    const slow = await accessPoint.deliver(target(), document).catch((error: unknown) => error as AccessPointError);
    expect(slow).toBeInstanceOf(AccessPointError);
    expect((slow as AccessPointError).isPermanent).toBe(false);
    expect((slow as AccessPointError).message).toContain('timeout');
    server.closeAllConnections();

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await accessPoint.deliver({ kind: 'http', url: `http://127.0.0.1:${port}/`, token: 'tok-123' }, document).catch((error: unknown) => error as AccessPointError);
    expect(refused).toBeInstanceOf(AccessPointError);
    expect((refused as AccessPointError).isPermanent).toBe(false);
    expect((refused as AccessPointError).message).toContain('ECONNREFUSED');
    expect((refused as AccessPointError).message).not.toContain('tok-123');
  });
});
