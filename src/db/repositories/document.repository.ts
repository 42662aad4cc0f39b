import type { Insertable } from 'kysely';
import type { DocumentFileKind, DocumentFileRow, DocumentFilesTable, DocumentTemplateRow, DocumentTemplatesTable } from '../schema.js';
import type { Executor } from './executor.js';

/** Document templates and archived document files; every query is scoped to a company. */

export async function findDocumentTemplate(db: Executor, companyId: string): Promise<DocumentTemplateRow | undefined> {
  return db.selectFrom('document_templates').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

/** The template without the logo bytes (for reading settings). */
export async function findDocumentTemplateSettings(
  db: Executor,
  companyId: string,
): Promise<Omit<DocumentTemplateRow, 'logo'> & { logo_size: number | null } | undefined> {
  const row = await db
    .selectFrom('document_templates')
    .select([
      'company_id',
      'design',
      'accent_color',
      'font',
      'header_text',
      'footer_text',
      'payment_text',
      'show_fields_json',
      'logo_content_type',
      'logo_sha256',
      'logo_width',
      'logo_height',
      'version',
      'updated_at',
    ])
    .select((eb) => eb.fn<number | null>('length', [eb.ref('logo')]).as('logo_size'))
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row ? { ...row, logo_size: row.logo_size === null ? null : Number(row.logo_size) } : undefined;
}

/** Inserts or replaces the company's template row. */
export async function saveDocumentTemplate(db: Executor, row: Insertable<DocumentTemplatesTable>): Promise<void> {
  const { company_id: _companyId, ...update } = row;
  await db
    .insertInto('document_templates')
    .values(row)
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet(update))
    .execute();
}

export async function findDocumentFile(
  db: Executor,
  companyId: string,
  invoiceId: string,
  kind: DocumentFileKind,
): Promise<DocumentFileRow | undefined> {
  return db
    .selectFrom('document_files')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Inserts unless the document already has a file of this kind; true when this call inserted it. */
export async function insertDocumentFileIfAbsent(db: Executor, row: Insertable<DocumentFilesTable>): Promise<boolean> {
  const result = await db
    .insertInto('document_files')
    .values(row)
    .onConflict((conflict) => conflict.columns(['invoice_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Product numbers by product id, for the optional item-number column. */
export async function findProductNumbers(db: Executor, companyId: string, productIds: readonly string[]): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['id', 'product_number'])
    .where('company_id', '=', companyId)
    .where('id', 'in', [...new Set(productIds)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.product_number]));
}
