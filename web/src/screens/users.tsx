import { useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { Member, Role } from '../api/types';
import { ROLES } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { Alert, Button, ConfirmAction, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { assignableRoles } from '../permissions';
import { useCan, useSession } from '../session';
import { orNull } from '../text';

function RoleCell({ member, canManage, onChanged }: { member: Member; canManage: boolean; onChanged(member: Member): void }) {
  const { t } = useI18n();
  const { role } = useSession();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const choices = assignableRoles(role);
  // An admin cannot touch an owner; only an owner hands out or takes away ownership.
  if (!canManage || !choices.includes(member.role)) {
    return <span>{t.roles[member.role]}</span>;
  }
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {fill(t.users.roleFor, { name: member.name })}
      </label>
      <select
        id={id}
        className="input input--select input--compact"
        value={member.role}
        disabled={busy}
        onChange={async (event) => {
          const next = event.target.value as Role;
          setBusy(true);
          try {
            onChanged(await api.changeRole(member.userId, next));
            notify(fill(t.users.roleChanged, { name: member.name }));
          } catch (error) {
            notify(problemText(t, error), 'error');
          } finally {
            setBusy(false);
          }
        }}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {t.roles[choice]}
          </option>
        ))}
      </select>
    </>
  );
}

const ADD_PATHS = ['email', 'role', 'name', 'password'];

function AddMemberForm({ onAdded }: { onAdded(member: Member): void }) {
  const { t, language } = useI18n();
  const { role } = useSession();
  const choices = assignableRoles(role);
  const [email, setEmail] = useState('');
  const [newRole, setNewRole] = useState<Role>('biller');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const u = t.users;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.clear();
    try {
      const nameValue = orNull(name);
      const member = await api.addMember({
        email: email.trim(),
        role: newRole,
        ...(nameValue ? { name: nameValue } : {}),
        ...(password ? { password } : {}),
        language,
      });
      onAdded(member);
      notify(fill(u.added, { name: member.name }));
      setEmail('');
      setName('');
      setPassword('');
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card card--padded" aria-labelledby="add-member-title">
      <h2 className="section-title" id="add-member-title">
        {u.addTitle}
      </h2>
      <p className="muted">{u.addIntro}</p>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert error={errors.error} fieldPaths={ADD_PATHS} />
        <div className="grid grid--2">
          <TextField label={u.email} type="email" value={email} onChange={setEmail} error={errors.field('email')} autoComplete="off" required />
          <SelectField
            label={u.role}
            value={newRole}
            onChange={(value) => setNewRole((ROLES as readonly string[]).includes(value) ? (value as Role) : 'biller')}
            options={choices.map((choice) => ({ value: choice, label: t.roles[choice] }))}
            error={errors.field('role')}
          />
          <TextField label={u.newName} value={name} onChange={setName} error={errors.field('name')} autoComplete="off" />
          <TextField label={u.newPassword} type="password" value={password} onChange={setPassword} error={errors.field('password')} hint={u.newPasswordHint} autoComplete="new-password" />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t.common.saving : u.add}
          </Button>
        </div>
      </form>
    </section>
  );
}

export function UsersScreen() {
  const { t } = useI18n();
  const { session, refresh } = useSession();
  const canManage = useCan('members.manage');
  const [state, reload, replace] = useLoad('members', () => api.members());
  const u = t.users;

  const members = state.status === 'ready' ? state.data.items : [];
  const setMembers = (items: Member[]) => replace({ items });

  return (
    <>
      <PageHeader title={u.title}>{u.intro}</PageHeader>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{u.name}</th>
                <th scope="col">{u.email}</th>
                <th scope="col">{u.role}</th>
                <th scope="col">{u.since}</th>
                {canManage ? (
                  <th scope="col">
                    <span className="visually-hidden">{u.remove}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {members.map((member) => {
                const isSelf = member.userId === session.user.id;
                return (
                  <tr key={member.userId}>
                    <td>
                      {member.name} {isSelf ? <span className="muted">{u.you}</span> : null}
                    </td>
                    <td>{member.email}</td>
                    <td>
                      <RoleCell
                        member={member}
                        canManage={canManage}
                        onChanged={(changed) => {
                          setMembers(members.map((entry) => (entry.userId === changed.userId ? changed : entry)));
                          if (isSelf) void refresh();
                        }}
                      />
                    </td>
                    <td className="nowrap">{formatDate(member.createdAt)}</td>
                    {canManage ? (
                      <td className="actions">
                        <ConfirmAction
                          label={u.remove}
                          question={fill(u.removeConfirm, { name: member.name })}
                          onConfirm={async () => {
                            try {
                              await api.removeMember(member.userId);
                              notify(fill(u.removed, { name: member.name }));
                              if (isSelf) {
                                await refresh();
                              } else {
                                setMembers(members.filter((entry) => entry.userId !== member.userId));
                              }
                            } catch (error) {
                              notify(problemText(t, error), 'error');
                            }
                          }}
                        />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {canManage ? <AddMemberForm onAdded={(member) => setMembers([...members, member])} /> : null}
    </>
  );
}
