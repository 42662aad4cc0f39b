import { useEffect, useId, useState, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/language-switch';
import { Alert, Button, notify, Toaster } from '../components/ui';
import { problemText, useI18n } from '../i18n';
import type { Permission } from '../permissions';
import { can } from '../permissions';
import { Link, matchPath, navigate, usePath } from '../router';
import { useSession } from '../session';
import { ApiKeysScreen } from './api-keys';
import { AuditLogScreen } from './audit-log';
import { BankImportScreen, BankImportsScreen, BankReviewScreen } from './bank-imports';
import { Logo } from './auth-layout';
import { CompanyScreen } from './company-settings';
import { CustomerEditScreen, CustomerNewScreen } from './customer-form';
import { CustomersScreen } from './customers';
import { DocumentTemplateScreen } from './document-template';
import { EmailSettingsScreen } from './email-settings';
import { EhfSettingsScreen } from './ehf-settings';
import { InvoiceNewScreen, InvoiceScreen } from './invoice-page';
import { InvoicesScreen } from './invoices';
import { PaymentsScreen } from './payments';
import { ProductEditScreen, ProductNewScreen } from './product-form';
import { ProductsScreen } from './products';
import { UsersScreen } from './users';

interface NavItem {
  path: string;
  label: (t: ReturnType<typeof useI18n>['t']) => string;
  /** Hidden from roles without this permission. */
  needs?: Permission;
}

/** Where "/" and the logo lead. */
export const START_PATH = '/invoices';

const NAV: readonly NavItem[] = [
  { path: '/invoices', label: (t) => t.nav.invoices },
  { path: '/payments', label: (t) => t.payments.nav },
  { path: '/bank-imports', label: (t) => t.bank.nav },
  { path: '/customers', label: (t) => t.nav.customers },
  { path: '/products', label: (t) => t.nav.products },
  { path: '/users', label: (t) => t.nav.users },
  { path: '/api-keys', label: (t) => t.nav.apiKeys, needs: 'api_keys.manage' },
  { path: '/company', label: (t) => t.nav.company },
  { path: '/audit', label: (t) => t.nav.audit, needs: 'audit.read' },
];

interface Route {
  pattern: string;
  needs?: Permission;
  render(params: Record<string, string>): ReactNode;
}

const ROUTES: readonly Route[] = [
  { pattern: '/invoices', render: () => <InvoicesScreen key="invoice" kind="invoice" /> },
  { pattern: '/invoices/credit-notes', render: () => <InvoicesScreen key="credit_note" kind="credit_note" /> },
  { pattern: '/invoices/new', needs: 'invoices.write', render: () => <InvoiceNewScreen /> },
  { pattern: '/invoices/:id', render: (p) => <InvoiceScreen key={p.id} id={p.id!} /> },
  { pattern: '/payments', render: () => <PaymentsScreen /> },
  { pattern: '/bank-imports', render: () => <BankImportsScreen /> },
  { pattern: '/bank-imports/review', render: () => <BankReviewScreen /> },
  { pattern: '/bank-imports/:id', render: (p) => <BankImportScreen key={p.id} id={p.id!} /> },
  { pattern: '/customers', render: () => <CustomersScreen /> },
  { pattern: '/customers/new', needs: 'customers.write', render: () => <CustomerNewScreen /> },
  { pattern: '/customers/:id', render: (p) => <CustomerEditScreen id={p.id!} /> },
  { pattern: '/products', render: () => <ProductsScreen /> },
  { pattern: '/products/new', needs: 'products.write', render: () => <ProductNewScreen /> },
  { pattern: '/products/:id', render: (p) => <ProductEditScreen id={p.id!} /> },
  { pattern: '/users', render: () => <UsersScreen /> },
  { pattern: '/api-keys', needs: 'api_keys.manage', render: () => <ApiKeysScreen /> },
  { pattern: '/company', render: () => <CompanyScreen /> },
  { pattern: '/company/document-template', render: () => <DocumentTemplateScreen /> },
  { pattern: '/company/email', render: () => <EmailSettingsScreen /> },
  { pattern: '/company/ehf', render: () => <EhfSettingsScreen /> },
  { pattern: '/audit', needs: 'audit.read', render: () => <AuditLogScreen /> },
];

function CompanySwitcher() {
  const { t } = useI18n();
  const { session, switchCompany } = useSession();
  const id = useId();
  const [busy, setBusy] = useState(false);
  if (session.companies.length === 0) return null;
  return (
    <div className="header__company">
      <label htmlFor={id} className="header__label">
        {t.header.company}
      </label>
      <select
        id={id}
        className="input input--select input--compact header__company-select"
        value={session.currentCompanyId ?? ''}
        disabled={busy}
        onChange={async (event) => {
          setBusy(true);
          try {
            await switchCompany(event.target.value);
          } catch (error) {
            notify(problemText(t, error), 'error');
          } finally {
            setBusy(false);
          }
        }}
      >
        {session.currentCompanyId === null ? <option value="">—</option> : null}
        {session.companies.map((company) => (
          <option key={company.id} value={company.id}>
            {company.legalName}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Shell() {
  const { t } = useI18n();
  const { session, role, logout } = useSession();
  const path = usePath();
  const [loggingOut, setLoggingOut] = useState(false);

  useEffect(() => {
    if (path === '/' || path === '') navigate(START_PATH, { replace: true });
  }, [path]);

  useEffect(() => {
    const item = NAV.find((entry) => path === entry.path || path.startsWith(`${entry.path}/`));
    document.title = item ? `${item.label(t)} – ${t.app.name}` : t.app.name;
  }, [path, t]);

  let content: ReactNode;
  if (!session.currentCompanyId || !role) {
    content = <Alert kind="info" title={t.app.noCompany} />;
  } else {
    const route = ROUTES.map((entry) => ({ entry, params: matchPath(entry.pattern, path) })).find(
      (candidate) => candidate.params !== null,
    );
    if (!route) {
      content = path === '/' ? null : <NotFound />;
    } else if (route.entry.needs && !can(role, route.entry.needs)) {
      content = <Alert kind="warning" title={t.app.noAccess} />;
    } else {
      content = route.entry.render(route.params!);
    }
  }

  const visibleNav = NAV.filter((item) => !item.needs || can(role, item.needs));

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t.app.skipToContent}
      </a>
      <header className="header">
        <Link to={START_PATH} className="brand">
          <Logo />
          <span className="brand__name">{t.app.name}</span>
        </Link>
        <div className="header__tools">
          <CompanySwitcher />
          <div className="header__user">
            <span className="header__label">{t.header.user}</span>
            <span className="header__user-name">{session.user.name}</span>
            {role ? <span className="header__role">{t.roles[role]}</span> : null}
          </div>
          <LanguageSwitch className="header__language" />
          <Button
            variant="ghost"
            disabled={loggingOut}
            onClick={async () => {
              setLoggingOut(true);
              try {
                await logout();
              } catch (error) {
                notify(problemText(t, error), 'error');
                setLoggingOut(false);
              }
            }}
          >
            {t.header.logout}
          </Button>
        </div>
      </header>
      <div className="shell__body">
        {role ? (
          <nav className="sidenav" aria-label={t.header.mainNav}>
            <ul className="sidenav__list">
              {visibleNav.map((item) => {
                const active = path === item.path || path.startsWith(`${item.path}/`);
                return (
                  <li key={item.path}>
                    <Link
                      to={item.path}
                      className={`sidenav__link${active ? ' sidenav__link--active' : ''}`}
                      aria-current={active ? 'page' : undefined}
                    >
                      {item.label(t)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        ) : null}
        <main className="content" id="main" tabIndex={-1} key={session.currentCompanyId ?? 'none'}>
          {content}
        </main>
      </div>
      <Toaster />
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="empty">
      <p>{t.app.notFound}</p>
      <Link to={START_PATH}>{t.app.backToStart}</Link>
    </div>
  );
}
