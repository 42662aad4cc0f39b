import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  productCreateSchema,
  productListQuerySchema,
  productUpdateSchema,
} from '../../app/product.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { productOutSchema, errorResponses, idParamSchema, pageOf } from '../schemas.js';

export function productRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { products } = deps.services;
  return async (app) => {
    app.get(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'List products: search (q), filters, keyset pagination (cursor)',
          querystring: productListQuerySchema,
          response: { 200: pageOf(productOutSchema), ...errorResponses },
        },
        preHandler: guard(deps, 'products.read'),
      },
      async (request) => products.listProducts(companyContext(request), request.query),
    );

    app.post(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'Create a product',
          body: productCreateSchema,
          response: { 201: productOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'products.write'),
      },
      async (request, reply) =>
        reply.code(201).send(await products.createProduct(companyContext(request), request.body)),
    );

    app.get(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          summary: 'Read a product',
          params: idParamSchema,
          response: { 200: productOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'products.read'),
      },
      async (request) => products.getProduct(companyContext(request), request.params.id),
    );

    app.patch(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          summary: 'Update a product',
          params: idParamSchema,
          body: productUpdateSchema,
          response: { 200: productOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'products.write'),
      },
      async (request) => products.updateProduct(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/products/:id/archive',
      {
        schema: {
          tags: ['products'],
          summary: 'Archive a product (kept for history, hidden from lists by default)',
          params: idParamSchema,
          response: { 200: productOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'products.write'),
      },
      async (request) => products.archiveProduct(companyContext(request), request.params.id),
    );

    app.post(
      '/products/:id/unarchive',
      {
        schema: {
          tags: ['products'],
          summary: 'Bring an archived product back',
          params: idParamSchema,
          response: { 200: productOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'products.write'),
      },
      async (request) => products.unarchiveProduct(companyContext(request), request.params.id),
    );
  };
}
