/** Spaces: mine, the directory (for partners: spaces shared with their organisation), all (admins). */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type ApiError, api, get, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Page, Space } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import {
  FieldError,
  LengthMeter,
  lengthIssue,
  requiredIssue,
  SaveError,
  useFieldErrors,
} from '../components/FormErrors';
import { AudienceBadges, MembershipButton } from '../components/SpaceBits';
import { Empty, ErrorState, Loading } from '../components/States';
import { useTitle } from '../lib/useTitle';

type Scope = 'mine' | 'directory' | 'all';

export default function Spaces() {
  const { isAdmin, isPartner } = useAuth();
  const [params] = useSearchParams();
  const requested = params.get('scope') as Scope | null;
  const scope: Scope = requested === 'directory' || (requested === 'all' && isAdmin) ? requested : 'mine';
  useTitle('Spaces');

  const tabs: { scope: Scope; label: string }[] = [
    { scope: 'mine', label: 'My spaces' },
    { scope: 'directory', label: isPartner ? 'Shared with my organisation' : 'Directory' },
    ...(isAdmin ? [{ scope: 'all' as const, label: 'All spaces' }] : []),
  ];

  return (
    <div className="page">
      <div className="page-header">
        <h1>Spaces</h1>
        {!isPartner && <CreateSpace />}
      </div>
      <nav aria-label="Which spaces" className="tabs">
        {tabs.map((tab) => (
          <Link
            key={tab.scope}
            to={`/spaces${query({ scope: tab.scope === 'mine' ? undefined : tab.scope })}`}
            aria-current={tab.scope === scope ? 'page' : undefined}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <SpaceList scope={scope} />
    </div>
  );
}

function SpaceList({ scope }: { scope: Scope }) {
  const list = useInfiniteQuery({
    queryKey: keys.spaceList(scope),
    queryFn: ({ pageParam, signal }) =>
      get<Page<Space>>(`/spaces${query({ scope, limit: 50, cursor: pageParam })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  if (list.isPending) return <Loading label="Loading spaces" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  const spaces = list.data.pages.flatMap((page) => page.items);
  if (spaces.length === 0) {
    return (
      <Empty title={scope === 'mine' ? 'You are not a member of any space yet' : 'No spaces here'}>
        {scope === 'mine' && (
          <p>
            <Link to="/spaces?scope=directory">Browse the directory</Link> to find spaces to join.
          </p>
        )}
      </Empty>
    );
  }
  return (
    <>
      <ul className="plain-list space-list">
        {spaces.map((space) => (
          <li key={space.id} className="card space-card">
            <div className="space-card-main">
              <h2>
                <Link to={`/spaces/${encodeURIComponent(space.id)}`}>{space.name}</Link>
              </h2>
              {space.description && <p>{space.description}</p>}
              <p className="meta">
                <AudienceBadges space={space} />
                {/* Partners get no count (it would reveal people they may not see). */}
                {typeof space.memberCount === 'number' && (
                  <>
                    {' · '}
                    {space.memberCount} {space.memberCount === 1 ? 'member' : 'members'}
                  </>
                )}
              </p>
            </div>
            <MembershipButton space={space} />
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading more…' : 'More spaces'}
        </button>
      )}
    </>
  );
}

function CreateSpace() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [audience, setAudience] = useState<'employees' | 'members'>('employees');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation<Space, ApiError>({
    mutationFn: () =>
      api<Space>('POST', '/spaces', { name, description: description || undefined, audience }),
    onSuccess: (space) => {
      void queryClient.invalidateQueries({ queryKey: keys.spaces() });
      navigate(`/spaces/${encodeURIComponent(space.id)}`);
    },
  });
  const id = useId();
  const ids = { name: `${id}-name`, description: `${id}-description`, audience: `${id}-audience` };
  const errors = useFieldErrors(ids, create.error);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        New space
      </button>
    );
  }
  return (
    <form
      className="card form create-space"
      aria-label="New space"
      onSubmit={(event) => {
        event.preventDefault();
        if (create.isPending) return;
        const issues = [
          ...requiredIssue('name', 'name', name),
          ...lengthIssue('name', 'name', name, 120),
          ...lengthIssue('description', 'description', description, 2000),
        ];
        if (errors.check(issues)) create.mutate();
      }}
    >
      <h2>New space</h2>
      <label>
        Name
        <input
          id={ids.name}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            errors.changed('name');
          }}
          aria-required="true"
          {...errors.describe('name', name.length >= 108 && `${id}-name-size`)}
        />
      </label>
      <LengthMeter id={`${id}-name-size`} value={name} limit={120} />
      <FieldError errors={errors} field="name" id={ids.name} />
      <label>
        Description
        <textarea
          id={ids.description}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            errors.changed('description');
          }}
          rows={2}
          {...errors.describe('description', description.length >= 1800 && `${id}-description-size`)}
        />
      </label>
      <LengthMeter id={`${id}-description-size`} value={description} limit={2000} />
      <FieldError errors={errors} field="description" id={ids.description} />
      <fieldset id={ids.audience}>
        <legend>Who can read it</legend>
        <label className="inline">
          <input
            type="radio"
            name="audience"
            checked={audience === 'employees'}
            onChange={() => setAudience('employees')}
          />{' '}
          All employees
        </label>
        <label className="inline">
          <input
            type="radio"
            name="audience"
            checked={audience === 'members'}
            onChange={() => setAudience('members')}
          />{' '}
          Members only
        </label>
      </fieldset>
      <SaveError error={create.error} errors={errors} ids={ids} verb="created" />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create space'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
