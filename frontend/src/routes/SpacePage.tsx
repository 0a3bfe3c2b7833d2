/** One space: its blog, its members, and (for owners and admins) sharing with partner organisations. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ApiError, api, enc, get, isApiError, query } from '../api/client';
import { useSpace } from '../api/queries';
import { keys } from '../api/query-keys';
import type { Member, Organisation, Page, Role, Space } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { PersonName } from '../components/People';
import { PostFeed } from '../components/PostFeed';
import { AudienceBadges, MembershipButton } from '../components/SpaceBits';
import { Empty, ErrorState, Loading } from '../components/States';
import { WatchButtons } from '../components/SubscribeButtons';
import { WikiTree } from '../components/WikiTree';
import { useTitle } from '../lib/useTitle';
import { newPagePath } from '../lib/wiki';

type Tab = 'posts' | 'wiki' | 'members' | 'sharing';

export default function SpacePage({ tab }: { tab: Tab }) {
  const { spaceId = '' } = useParams();
  const space = useSpace(spaceId);
  useTitle(space.data?.name);
  if (space.isPending) return <Loading label="Loading space" />;
  if (space.isError)
    return <ErrorState error={space.error} retry={() => void space.refetch()} what="space" />;
  const s = space.data;
  const base = `/spaces/${encodeURIComponent(s.id)}`;
  const canShare = s.permissions.manage && !s.personalOf;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{s.name}</h1>
          {s.description && <p className="lead">{s.description}</p>}
          <p className="meta">
            <AudienceBadges space={s} />
            {/* Partners are not told how many people a space has. */}
            {typeof s.memberCount === 'number' && (
              <>
                {' · '}
                {s.memberCount} {s.memberCount === 1 ? 'member' : 'members'}
              </>
            )}
          </p>
        </div>
        <div className="actions">
          {s.permissions.contribute &&
            (tab === 'wiki' ? (
              <Link className="button primary" to={newPagePath(s.id)}>
                New page
              </Link>
            ) : (
              <Link className="button primary" to={`${base}/new`}>
                Write a post
              </Link>
            ))}
          <MembershipButton space={s} />
          <WatchButtons target={{ kind: 'space', spaceId: s.id }} name={s.name} />
        </div>
      </div>
      <nav aria-label={`${s.name} sections`} className="tabs">
        <Link to={base} aria-current={tab === 'posts' ? 'page' : undefined}>
          Posts
        </Link>
        <Link to={`${base}/pages`} aria-current={tab === 'wiki' ? 'page' : undefined}>
          Wiki
        </Link>
        <Link to={`${base}/members`} aria-current={tab === 'members' ? 'page' : undefined}>
          Members
        </Link>
        {canShare && (
          <Link to={`${base}/sharing`} aria-current={tab === 'sharing' ? 'page' : undefined}>
            Sharing
          </Link>
        )}
      </nav>
      {tab === 'posts' && (
        <PostFeed
          queryKey={keys.posts(s.id)}
          path={`/spaces/${enc(s.id)}/posts`}
          label={`Posts in ${s.name}`}
          showSpace={false}
          empty={
            <Empty title="No posts yet">
              {s.permissions.contribute && (
                <p>
                  <Link to={`${base}/new`}>Write the first one</Link>.
                </p>
              )}
            </Empty>
          }
        />
      )}
      {tab === 'wiki' && <WikiTree space={s} />}
      {tab === 'members' && <Members space={s} />}
      {tab === 'sharing' &&
        (canShare ? (
          <>
            <Sharing space={s} />
            {s.partnerOrgs.length > 0 && <Invitations space={s} />}
          </>
        ) : (
          <ErrorState error={new Error('Only owners and admins can change sharing.')} />
        ))}
    </div>
  );
}

function Members({ space }: { space: Space }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const members = useInfiniteQuery({
    queryKey: keys.members(space.id),
    queryFn: ({ pageParam, signal }) =>
      get<Page<Member>>(
        `/spaces/${enc(space.id)}/members${query({ limit: 100, cursor: pageParam })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.members(space.id) });
    void queryClient.invalidateQueries({ queryKey: keys.space(space.id) });
  };
  const setRole = useMutation<unknown, ApiError, { userId: string; role: Role }>({
    mutationFn: ({ userId, role }) => api('PUT', `/spaces/${enc(space.id)}/members/${enc(userId)}`, { role }),
    onSuccess: refresh,
  });
  const remove = useMutation<unknown, ApiError, string>({
    mutationFn: (userId) => api('DELETE', `/spaces/${enc(space.id)}/members/${enc(userId)}`),
    onSuccess: refresh,
  });
  const [newMember, setNewMember] = useState('');
  const [newRole, setNewRole] = useState<Role>('editor');

  if (members.isPending) return <Loading label="Loading members" />;
  if (members.isError) return <ErrorState error={members.error} retry={() => void members.refetch()} />;
  const list = members.data.pages.flatMap((page) => page.items);
  const manage = space.permissions.manage;
  const error = setRole.error ?? remove.error;
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {error && (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      )}
      {list.length === 0 ? (
        <Empty title="No members yet" />
      ) : (
        <table className="members">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              {manage && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((member) => (
              <tr key={member.userId}>
                <td>
                  <PersonName id={member.userId} name={member.name} org={member.org} />
                </td>
                <td>
                  {manage ? (
                    <select
                      aria-label={`Role of ${member.name}`}
                      value={member.role}
                      disabled={setRole.isPending}
                      onChange={(e) =>
                        setRole.mutate({ userId: member.userId, role: e.target.value as Role })
                      }
                    >
                      <option value="owner">Owner</option>
                      <option value="editor">Editor</option>
                      <option value="reader">Reader</option>
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                {manage && (
                  <td>
                    {member.userId !== user.id && (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => remove.mutate(member.userId)}
                        disabled={remove.isPending}
                      >
                        Remove<span className="visually-hidden"> {member.name}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {members.hasNextPage && (
        <button type="button" onClick={() => void members.fetchNextPage()}>
          More members
        </button>
      )}
      {manage && !space.personalOf && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!newMember.trim()) return;
            setRole.mutate(
              { userId: newMember.trim(), role: newRole },
              { onSuccess: () => setNewMember('') },
            );
          }}
        >
          <h3>Add a member</h3>
          <label>
            User id
            <input value={newMember} onChange={(e) => setNewMember(e.target.value)} placeholder="e.g. bob" />
          </label>
          <label>
            Role
            <select value={newRole} onChange={(e) => setNewRole(e.target.value as Role)}>
              <option value="reader">Reader</option>
              <option value="editor">Editor</option>
              <option value="owner">Owner</option>
            </select>
          </label>
          <button type="submit" disabled={setRole.isPending}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}

function Sharing({ space }: { space: Space }) {
  const queryClient = useQueryClient();
  const orgs = useQuery({
    queryKey: keys.orgs(),
    queryFn: ({ signal }) => get<{ items: Organisation[] }>('/orgs', signal),
  });
  const [chosen, setChosen] = useState<string[]>(space.partnerOrgs);
  const [saved, setSaved] = useState(false);
  const save = useMutation<Space, ApiError>({
    mutationFn: () =>
      api<Space>('PUT', `/spaces/${enc(space.id)}/sharing`, { partnerOrgs: chosen, version: space.version }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.space(space.id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.spaces() });
      setSaved(true);
    },
  });
  const conflict = isApiError(save.error, 'edit-conflict');

  if (orgs.isPending) return <Loading label="Loading partner organisations" />;
  if (orgs.isError) return <ErrorState error={orgs.error} retry={() => void orgs.refetch()} />;
  return (
    <section aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">Sharing with partner organisations</h2>
      <p className="muted">
        People of a partner organisation can read and join this space while it is shared with them. They never
        see other organisations' people or content.
      </p>
      {orgs.data.items.length === 0 ? (
        <Empty title="No partner organisations are registered" />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <fieldset>
            <legend>Shared with</legend>
            {orgs.data.items.map((org) => (
              <label key={org.id} className="inline checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(org.id)}
                  onChange={(e) => {
                    setSaved(false);
                    setChosen(e.target.checked ? [...chosen, org.id] : chosen.filter((id) => id !== org.id));
                  }}
                />{' '}
                {org.name} <span className="muted">({org.id})</span>
              </label>
            ))}
          </fieldset>
          {conflict ? (
            <div role="alert" className="notice notice-warning">
              <p>
                Someone else changed this space since you opened it, so nothing was saved. Your choices are
                still selected.
              </p>
              <button
                type="button"
                onClick={() => {
                  save.reset();
                  void queryClient.invalidateQueries({ queryKey: keys.space(space.id) });
                }}
              >
                Load the latest version
              </button>
            </div>
          ) : (
            save.isError && (
              <p role="alert" className="error-text">
                {save.error.message}
              </p>
            )
          )}
          {saved && <p role="status">Sharing saved.</p>}
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save sharing'}
          </button>
        </form>
      )}
    </section>
  );
}

interface Invitation {
  email: string;
  orgId: string;
  role: 'editor' | 'reader';
  invitedByName: string;
  invitedAt: string;
}

/** Invitations of a partner's people by e-mail: accepted at their first sign-in (owners and admins). */
function Invitations({ space }: { space: Space }) {
  const queryClient = useQueryClient();
  const path = `/spaces/${enc(space.id)}/invitations`;
  const key = ['invitations', space.id] as const;
  const open = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => get<Page<Invitation>>(`${path}?limit=100`, signal),
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'editor' | 'reader'>('reader');
  const invite = useMutation<Invitation, ApiError>({
    mutationFn: () => api<Invitation>('POST', path, { email, role }),
    onSuccess: () => {
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation<void, ApiError, string>({
    mutationFn: (address) => api('DELETE', `${path}/${enc(address)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invite people of a partner organisation</h2>
      <p className="muted">
        The address must belong to an organisation this space is shared with. The person becomes a member when
        they first sign in through their organisation's provider.
      </p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <label>
          E-mail address
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as 'editor' | 'reader')}>
            <option value="reader">reader</option>
            <option value="editor">editor</option>
          </select>
        </label>
        <button type="submit" disabled={invite.isPending}>
          Invite
        </button>
      </form>
      {invite.isError && (
        <p role="alert" className="error-text">
          {invite.error.fieldMessage('email') ?? invite.error.message}
        </p>
      )}
      {open.data && open.data.items.length > 0 && (
        <ul className="plain-list">
          {open.data.items.map((invitation) => (
            <li key={invitation.email}>
              {invitation.email}{' '}
              <span className="muted">
                ({invitation.orgId}, {invitation.role})
              </span>{' '}
              <button
                type="button"
                onClick={() => revoke.mutate(invitation.email)}
                disabled={revoke.isPending}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
