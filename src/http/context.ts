import type { ApiKeyService } from '../app/api-key.service.js';
import type { ArchivePdfService } from '../app/archive-pdf.service.js';
import type { AuditService } from '../app/audit.service.js';
import type { AuthService } from '../app/auth.service.js';
import type { BulkService } from '../app/bulk.service.js';
import type { CompanyService } from '../app/company.service.js';
import type { CustomerService } from '../app/customer.service.js';
import type { DeliveryService } from '../app/delivery.service.js';
import type { DocumentPdfService } from '../app/document-pdf.service.js';
import type { DocumentTemplateService } from '../app/document-template.service.js';
import type { EmailSettingsService } from '../app/email-settings.service.js';
import type { EhfService } from '../app/ehf.service.js';
import type { EhfSettingsService } from '../app/ehf-settings.service.js';
import type { MemberService } from '../app/member.service.js';
import type { InvoiceService } from '../app/invoice.service.js';
import type { InvoiceSettingsService } from '../app/invoice-settings.service.js';
import type { JournalService } from '../app/journal.service.js';
import type { PaymentService } from '../app/payment.service.js';
import type { BankImportService } from '../app/bank-import.service.js';
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
  emailSettings: EmailSettingsService;
  deliveries: DeliveryService;
  ehf: EhfService;
  ehfSettings: EhfSettingsService;
  archivePdfs: ArchivePdfService;
  documentPdfs: DocumentPdfService;
  documentTemplates: DocumentTemplateService;
  bulk: BulkService;
  payments: PaymentService;
  bankImports: BankImportService;
}

/** What every route plugin receives. */
export interface RouteDeps {
  services: Services;
  idempotency: IdempotencyStore;
  cookie: { secure: boolean | 'auto'; maxAgeSeconds: number };
  dialect: 'sqlite' | 'postgres';
  version: string;
}
