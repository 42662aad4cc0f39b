import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../scripts/write-openapi.js';
import { createHarness, type Harness, json } from '../helpers/harness.js';

describe('OpenAPI document and docs', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness('sqlite');
  });
  afterAll(async () => harness?.close());

  it('is OpenAPI 3.1 with every resource, problem responses and both security schemes', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = json(response);
    expect(document.openapi).toBe('3.1.0');
    for (const route of ['/api/v1/health', '/api/v1/customers', '/api/v1/customers/{id}', '/api/v1/products', '/api/v1/users', '/api/v1/api-keys', '/api/v1/company', '/api/v1/companies', '/api/v1/audit-events', '/api/v1/auth/login']) {
      expect(Object.keys(document.paths)).toContain(route);
    }
    expect(document.components.securitySchemes).toHaveProperty('apiKey');
    expect(document.components.schemas).toHaveProperty('Customer');
    expect(document.components.schemas).toHaveProperty('Problem');
    const create = document.paths['/api/v1/customers'].post;
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('orgNumber');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
  });

  it('the committed openapi.json is up to date (npm run openapi)', async () => {
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../../openapi.json'), 'utf8');
    expect(committed).toBe(await generateOpenApi());
  });

  it('serves the browsable docs at /api/docs', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });

  it('answers the health check', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(json(response)).toMatchObject({ status: 'ok', database: 'sqlite' });
  });
});
