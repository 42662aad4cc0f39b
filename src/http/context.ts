import type { ApiKeyService } from '../app/api-key.service.js';
import type { AuditService } from '../app/audit.service.js';
import type { AuthService } from '../app/auth.service.js';
import type { CompanyService } from '../app/company.service.js';
import type { CustomerService } from '../app/customer.service.js';
import type { MemberService } from '../app/member.service.js';
import type { InvoiceService } from '../app/invoice.service.js';
import type { InvoiceSettingsService } from '../app/invoice-settings.service.js';
import type { JournalService } from '../app/journal.service.js';
import type { ProductService } from '../app/product.service.js';
import type { IdempotencyStore } from './idempotency.js';

export interface Services {
  auth: AuthService;
  companies: CompanyService;
  members: MemberService;
  apiKeys: ApiKeyService;
  customers: CustomerService;
  products: ProductService;
  audit: AuditService;
  invoices: InvoiceService;
  invoiceSettings: InvoiceSettingsService;
  journal: JournalService;
}

/** What every route plugin receives. */
export interface RouteDeps {
  services: Services;
  idempotency: IdempotencyStore;
  cookie: { secure: boolean | 'auto'; maxAgeSeconds: number };
  dialect: 'sqlite' | 'postgres';
  version: string;
}
