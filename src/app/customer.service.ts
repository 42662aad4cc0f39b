import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { customerRowToCustomer } from '../db/mappers.js';
import { findCustomer, insertCustomer, listCustomers, updateCustomer } from '../db/repositories/customer.repository.js';
import { advanceNumberSeriesPast, takeNextNumber } from '../db/repositories/number-series.repository.js';
import type { CustomerRow, CustomerRowUpdate } from '../db/schema.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import type { Customer } from '../domain/party.js';
import { changedFields, recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { CustomerCreateInput, CustomerListQueryInput, CustomerUpdateInput } from './customer.schemas.js';
import { decodeCursor, likeContains, type Page, toPage } from './pagination.js';
import type { Clock, IdGenerator } from './ports.js';

export interface CustomerServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

const CUSTOMER_SERIES = 'customer';

type CustomerFields = Omit<CustomerRow, 'id' | 'company_id' | 'customer_number' | 'archived_at' | 'created_at' | 'updated_at'>;

function searchText(fields: Pick<CustomerRow, 'name' | 'org_number' | 'email' | 'city' | 'contact_name'>, number: number) {
  return [String(number), fields.name, fields.org_number, fields.email, fields.city, fields.contact_name]
    .filter((part): part is string => Boolean(part))
    .join(' ')
    .toLowerCase();
}

/** Rules that span fields, checked on the merged record for create and update alike. */
function checkCustomerRules(fields: CustomerFields): void {
  const issues: FieldIssue[] = [];
  if (fields.kind === 'person' && fields.org_number) {
    issues.push({
      path: 'orgNumber',
      code: 'org_number.not_for_person',
      message: 'A private person has no organisation number; choose kind "business"',
    });
  }
  if (fields.delivery_channel === 'ehf' && fields.kind === 'person' && !fields.peppol_id?.trim()) {
    // Peppol needs the buyer's electronic address (PEPPOL-EN16931-R010) and has no scheme for
    // Norwegian persons (PEPPOL-EN16931-CL008), so none is made up: a person receives EHF only
    // with a registered PEPPOL id of their own (a sole trader's, a foreign consumer's).
    issues.push({
      path: 'deliveryChannel',
      code: 'delivery_channel.ehf_not_for_person',
      message: 'A private person receives EHF only with a PEPPOL id; add it or choose e-mail',
    });
  }
  if (issues.length > 0) {
    throw validationError(issues);
  }
}

function inputToFields(input: CustomerCreateInput): CustomerFields {
  const delivery = input.deliveryAddress ?? null;
  const fields: Omit<CustomerFields, 'search_text'> = {
    kind: input.kind,
    name: input.name,
    org_number: input.orgNumber ?? null,
    contact_name: input.contactName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address_line1: input.address.line1 ?? null,
    address_line2: input.address.line2 ?? null,
    postal_code: input.address.postalCode ?? null,
    city: input.address.city ?? null,
    country_code: input.address.countryCode,
    delivery_address_line1: delivery?.line1 ?? null,
    delivery_address_line2: delivery?.line2 ?? null,
    delivery_postal_code: delivery?.postalCode ?? null,
    delivery_city: delivery?.city ?? null,
    delivery_country_code: delivery ? delivery.countryCode : null,
    language: input.language,
    payment_terms_days: input.paymentTermsDays ?? null,
    peppol_id: input.peppolId ?? null,
    delivery_channel: input.deliveryChannel ?? null,
    notes: input.notes ?? null,
  };
  return { ...fields, search_text: '' };
}

function updateToFields(input: CustomerUpdateInput): Partial<CustomerFields> {
  const update: Partial<CustomerFields> = {};
  if (input.kind !== undefined) update.kind = input.kind;
  if (input.name !== undefined) update.name = input.name;
  if (input.orgNumber !== undefined) update.org_number = input.orgNumber;
  if (input.contactName !== undefined) update.contact_name = input.contactName ?? null;
  if (input.email !== undefined) update.email = input.email;
  if (input.phone !== undefined) update.phone = input.phone ?? null;
  if (input.address !== undefined) {
    update.address_line1 = input.address.line1 ?? null;
    update.address_line2 = input.address.line2 ?? null;
    update.postal_code = input.address.postalCode ?? null;
    update.city = input.address.city ?? null;
    update.country_code = input.address.countryCode;
  }
  if (input.deliveryAddress !== undefined) {
    const delivery = input.deliveryAddress;
    update.delivery_address_line1 = delivery?.line1 ?? null;
    update.delivery_address_line2 = delivery?.line2 ?? null;
    update.delivery_postal_code = delivery?.postalCode ?? null;
    update.delivery_city = delivery?.city ?? null;
    update.delivery_country_code = delivery ? delivery.countryCode : null;
  }
  if (input.language !== undefined) update.language = input.language;
  if (input.paymentTermsDays !== undefined) update.payment_terms_days = input.paymentTermsDays;
  if (input.peppolId !== undefined) update.peppol_id = input.peppolId;
  if (input.deliveryChannel !== undefined) update.delivery_channel = input.deliveryChannel;
  if (input.notes !== undefined) update.notes = input.notes ?? null;
  return update;
}

function numberTaken(cause: unknown): AppError {
  return new AppError('customer.number_taken', 'The customer number is in use', {
    issues: [{ path: 'customerNumber', code: 'customer_number.taken', message: 'Already in use' }],
    cause,
  });
}

export function createCustomerService(deps: CustomerServiceDeps) {
  const { db, clock, ids } = deps;

  async function requireCustomer(executor: Db['kysely'], ctx: CompanyContext, id: string): Promise<CustomerRow> {
    const row = await findCustomer(executor, ctx.companyId, id);
    if (!row) {
      throw new AppError('customer.not_found', 'Customer not found');
    }
    return row;
  }

  async function setArchived(ctx: CompanyContext, id: string, archive: boolean): Promise<Customer> {
    return db.kysely.transaction().execute(async (trx) => {
      const row = await requireCustomer(trx, ctx, id);
      if ((row.archived_at !== null) !== archive) {
        const now = clock.now().toISOString();
        await updateCustomer(trx, ctx.companyId, id, { archived_at: archive ? now : null, updated_at: now });
        await recordCompanyAudit(trx, deps, ctx, {
          action: archive ? 'customer.archived' : 'customer.unarchived',
          entityType: 'customer',
          entityId: id,
        });
      }
      return customerRowToCustomer(await requireCustomer(trx, ctx, id));
    });
  }

  return {
    /**
     * Creates a customer. Without a number it takes the next of the company's
     * customer series; a given number must be free and moves the series past it.
     */
    async createCustomer(ctx: CompanyContext, input: CustomerCreateInput): Promise<Customer> {
      const fields = inputToFields(input);
      checkCustomerRules(fields);
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const id = ids.newId();
          const now = clock.now().toISOString();
          let number: number;
          if (input.customerNumber !== undefined) {
            number = input.customerNumber;
            await advanceNumberSeriesPast(trx, ctx.companyId, CUSTOMER_SERIES, number);
          } else {
            number = await takeNextNumber(trx, ctx.companyId, CUSTOMER_SERIES);
          }
          await insertCustomer(trx, {
            ...fields,
            search_text: searchText(fields, number),
            id,
            company_id: ctx.companyId,
            customer_number: number,
            archived_at: null,
            created_at: now,
            updated_at: now,
          });
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'customer.created',
            entityType: 'customer',
            entityId: id,
            details: { customerNumber: number },
          });
          return customerRowToCustomer(await requireCustomer(trx, ctx, id));
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw numberTaken(error);
        }
        throw error;
      }
    },

    async getCustomer(ctx: CompanyContext, id: string): Promise<Customer> {
      return customerRowToCustomer(await requireCustomer(db.kysely, ctx, id));
    },

    async updateCustomer(ctx: CompanyContext, id: string, input: CustomerUpdateInput): Promise<Customer> {
      return db.kysely.transaction().execute(async (trx) => {
        const before = await requireCustomer(trx, ctx, id);
        const update = updateToFields(input);
        const merged = { ...before, ...update };
        checkCustomerRules(merged);
        const changed = changedFields(before, update);
        if (changed.length > 0) {
          const row: CustomerRowUpdate = {
            ...update,
            search_text: searchText(merged, before.customer_number),
            updated_at: clock.now().toISOString(),
          };
          await updateCustomer(trx, ctx.companyId, id, row);
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'customer.updated',
            entityType: 'customer',
            entityId: id,
            details: { fields: changed },
          });
        }
        return customerRowToCustomer(await requireCustomer(trx, ctx, id));
      });
    },

    archiveCustomer: (ctx: CompanyContext, id: string) => setArchived(ctx, id, true),
    unarchiveCustomer: (ctx: CompanyContext, id: string) => setArchived(ctx, id, false),

    async listCustomers(ctx: CompanyContext, query: CustomerListQueryInput): Promise<Page<Customer>> {
      const sortKey = `customers:${query.sort}`;
      const rows = await listCustomers(db.kysely, {
        companyId: ctx.companyId,
        searchPattern: query.q ? likeContains(query.q) : undefined,
        kind: query.kind,
        archived: query.archived,
        sort: query.sort,
        after: query.cursor ? decodeCursor(sortKey, query.cursor) : undefined,
        limit: query.limit + 1,
      });
      return toPage(
        rows,
        query.limit,
        sortKey,
        (row) => (query.sort === 'name' ? [row.name, row.id] : [row.customer_number, row.id]),
        customerRowToCustomer,
      );
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
