import { companyCreateSchema } from './app/company.schemas.js';
import { CLI_ACTOR, type CompanyContext } from './app/context.js';
import { customerCreateSchema } from './app/customer.schemas.js';
import { productCreateSchema } from './app/product.schemas.js';
import { findCompanyByOrgNumber } from './db/repositories/company.repository.js';
import { AppError } from './domain/errors.js';
import type { Company } from './domain/party.js';
import type { Runtime } from './main.js';

/** A fictitious but checksum-valid organisation number (MOD11) built from an 8-digit body. */
export function orgNumberFromBody(body: string): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  const remainder = sum % 11;
  if (remainder === 1) {
    throw new Error(`No valid organisation number has the body ${body}`);
  }
  return `${body}${remainder === 0 ? 0 : 11 - remainder}`;
}

export const DEMO_ORG_NUMBER = '999999999';
export const DEMO_LOGIN = { email: 'demo@fakturaflyt.no', password: 'demo-passord-2026' };

const CUSTOMERS = [
  { kind: 'business', name: 'Nordlys Arkitekter AS', orgBody: '91234568', city: 'Tromsø', postalCode: '9008', line1: 'Storgata 12', email: 'faktura@nordlys-ark.example' },
  { kind: 'business', name: 'Bergen Bryggeri AS', orgBody: '92345678', city: 'Bergen', postalCode: '5003', line1: 'Bryggen 7', email: 'regnskap@bergenbryggeri.example' },
  { kind: 'business', name: 'Trøndelag fylkeskommune', orgBody: '81700000', city: 'Steinkjer', postalCode: '7735', line1: 'Fylkets hus', email: 'postmottak@trondelag.example', peppol: true },
  { kind: 'business', name: 'Fjelltopp Sport AS', orgBody: '98765432', city: 'Lillehammer', postalCode: '2609', line1: 'Olympiaparken 3', email: 'ap@fjelltopp.example' },
  { kind: 'person', name: 'Kari Nordmann', city: 'Oslo', postalCode: '0150', line1: 'Karl Johans gate 1', email: 'kari.nordmann@example.no' },
  { kind: 'person', name: 'Ola Ødegård', city: 'Ålesund', postalCode: '6002', line1: 'Kongens gate 25', email: 'ola.odegard@example.no', language: 'nb' },
  { kind: 'business', name: 'Scandinavian Timber Ltd', city: 'London', postalCode: 'EC1A 1BB', line1: '1 Timber Road', countryCode: 'GB', email: 'accounts@timber.example', language: 'en' },
] as const;

const PRODUCTS = [
  { productNumber: '1001', name: 'Rådgivning', unitCode: 'HUR', unitPrice: '1250.00', vatCode: '3' },
  { productNumber: '1002', name: 'Prosjektledelse', unitCode: 'HUR', unitPrice: '1450.00', vatCode: '3' },
  { productNumber: '2001', name: 'Kaffebønner, økologisk', unitCode: 'KGM', unitPrice: '289.90', vatCode: '31' },
  { productNumber: '2002', name: 'Filterkaffe, 250 g', unitCode: 'C62', unitPrice: '64.1250', vatCode: '31' },
  { productNumber: '3001', name: 'Persontransport', unitCode: 'KMT', unitPrice: '12.50', vatCode: '33' },
  { productNumber: '4001', name: 'Fagbok: Norsk regnskap', unitCode: 'C62', unitPrice: '499.00', vatCode: '5' },
  { productNumber: '5001', name: 'Programvareabonnement', unitCode: 'MON', unitPrice: '990.00', vatCode: '3' },
  { productNumber: '6001', name: 'Konsulenttjeneste eksport', unitCode: 'HUR', unitPrice: '1500.00', vatCode: '52' },
] as const;

export interface DemoResult {
  company: Company;
  customers: number;
  products: number;
  login: { email: string; password: string };
}

/** `fakturaflyt demo`: a demo company with an owner, customers and products. */
export async function createDemoData(runtime: Runtime): Promise<DemoResult> {
  const { services } = runtime;
  if (await findCompanyByOrgNumber(runtime.db.kysely, DEMO_ORG_NUMBER)) {
    throw new AppError('company.org_number_taken', 'The demo company exists already');
  }
  const company = await services.companies.createCompany(
    companyCreateSchema.parse({
      legalName: 'Fjordkaffe Demo AS',
      orgNumber: DEMO_ORG_NUMBER,
      address: { line1: 'Havnegata 4', postalCode: '0150', city: 'Oslo', countryCode: 'NO' },
      bankAccount: '86011117947',
      iban: 'NO9386011117947',
      bic: 'DNBANOKK',
      email: 'post@fjordkaffe.example',
      phone: '+47 22 00 00 00',
    }),
    CLI_ACTOR,
  );
  const ctx: CompanyContext = { companyId: company.id, role: 'owner', actor: CLI_ACTOR, ipAddress: null };
  await services.members.addMember(ctx, {
    email: DEMO_LOGIN.email,
    name: 'Demo Bruker',
    password: DEMO_LOGIN.password,
    role: 'owner',
    language: 'nb',
  });
  for (const customer of CUSTOMERS) {
    const orgNumber = 'orgBody' in customer ? orgNumberFromBody(customer.orgBody) : null;
    await services.customers.createCustomer(
      ctx,
      customerCreateSchema.parse({
        kind: customer.kind,
        name: customer.name,
        orgNumber,
        email: customer.email,
        address: {
          line1: customer.line1,
          postalCode: customer.postalCode,
          city: customer.city,
          countryCode: 'countryCode' in customer ? customer.countryCode : 'NO',
        },
        language: 'language' in customer ? customer.language : 'nb',
        peppolId: 'peppol' in customer && orgNumber ? `0192:${orgNumber}` : null,
      }),
    );
  }
  for (const product of PRODUCTS) {
    await services.products.createProduct(ctx, productCreateSchema.parse(product));
  }
  return { company, customers: CUSTOMERS.length, products: PRODUCTS.length, login: DEMO_LOGIN };
}
