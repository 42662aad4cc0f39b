import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { createHarness, createTenant, type Harness, json, loginHeaders } from '../helpers/harness.js';

describe.each(DIALECTS)('own profile and password (%s)', (dialect) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness(dialect);
  });
  afterAll(async () => harness?.close());

  it('changes name and language', async () => {
    const owner = await createTenant(harness);
    const response = await harness.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/profile',
      headers: owner.headers,
      payload: { name: 'Åse Ærlig', language: 'en' },
    });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ name: 'Åse Ærlig', language: 'en' });
    const session = await harness.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: owner.headers });
    expect(json(session).user.name).toBe('Åse Ærlig');
  });

  it('changes the password only with the current one, and ends the other sessions', async () => {
    const owner = await createTenant(harness);
    const otherDevice = await loginHeaders(harness, owner.email, owner.password);
    const wrong = await harness.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/password',
      headers: owner.headers,
      payload: { currentPassword: 'not the password', newPassword: 'a brand new password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong).errors[0].path).toBe('currentPassword');

    const weak = await harness.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/password',
      headers: owner.headers,
      payload: { currentPassword: owner.password, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(json(weak).errors[0].path).toBe('newPassword');

    const changed = await harness.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/password',
      headers: owner.headers,
      payload: { currentPassword: owner.password, newPassword: 'a brand new password' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await harness.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: owner.headers })).statusCode).toBe(200);
    expect((await harness.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: otherDevice })).statusCode).toBe(401);

    const oldLogin = await harness.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: owner.password } });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await harness.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: 'a brand new password' } });
    expect(newLogin.statusCode).toBe(200);

    const audit = await harness.app.inject({ method: 'GET', url: '/api/v1/audit-events?action=auth.password_changed', headers: owner.headers });
    expect(json(audit).items).toHaveLength(1);
  });

  it('an API key cannot change a password', async () => {
    const owner = await createTenant(harness);
    const key = await harness.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: owner.headers, payload: { name: 'k', role: 'owner' } });
    const response = await harness.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/password',
      headers: { authorization: `Bearer ${json(key).key as string}` },
      payload: { currentPassword: owner.password, newPassword: 'a brand new password' },
    });
    expect(response.statusCode).toBe(403);
    expect(json(response).code).toBe('auth.forbidden');
  });
});
