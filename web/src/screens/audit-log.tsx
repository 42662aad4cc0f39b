import { api } from '../api/endpoints';
import type { AuditEvent } from '../api/types';
import { ListStatus, LoadMore } from '../components/list-footer';
import { PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { usePagedList } from '../hooks';
import { useI18n } from '../i18n';

function detailsText(details: Record<string, unknown> | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

export function AuditLogScreen() {
  const { t } = useI18n();
  const list = usePagedList<AuditEvent>('audit', (cursor) => api.auditEvents(cursor));
  const a = t.audit;
  return (
    <>
      <PageHeader title={a.title}>{a.intro}</PageHeader>
      {list.items.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense">
            <thead>
              <tr>
                <th scope="col">{a.when}</th>
                <th scope="col">{a.who}</th>
                <th scope="col">{a.action}</th>
                <th scope="col">{a.entity}</th>
                <th scope="col">{a.details}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">
                    <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                  </td>
                  <td>{event.actorLabel}</td>
                  <td>
                    {a.actions[event.action] ?? event.action}
                    <span className="muted mono small"> {event.action}</span>
                  </td>
                  <td>{a.entities[event.entityType] ?? event.entityType}</td>
                  <td className="small">{detailsText(event.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListStatus list={list} empty={a.empty} />
      <LoadMore list={list} />
    </>
  );
}
