/**
 * A person: who they are (partners marked external), what they say they know, and what they wrote in
 * spaces you can read. Your own profile can be edited here. Also: the people with a skill.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { renderMarkdown } from '../../../functions/domain/content/markdown';
import { type ApiError, api, enc, get, isApiError, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Page, PersonSummary, Profile } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { PhotoPicker } from '../components/Attachments';
import { Avatar } from '../components/Avatar';
import { FieldError, LengthMeter, lengthIssue, SaveError, useFieldErrors } from '../components/FormErrors';
import { ExternalBadge } from '../components/People';
import { PostFeed } from '../components/PostFeed';
import { Activity } from '../components/profile/Activity';
import { Endorsements } from '../components/profile/Endorsements';
import { KnowsAbout } from '../components/profile/KnowsAbout';
import { VCardButton } from '../components/profile/VCardButton';
import { ServerHtml } from '../components/ServerHtml';
import { Empty, ErrorState, Loading } from '../components/States';
import { FollowButtons } from '../components/SubscribeButtons';
import { useTitle } from '../lib/useTitle';

export default function Person() {
  const { userId = '' } = useParams();
  const { user } = useAuth();
  const [editing, setEditing] = useState(false);
  const [photoVersion, setPhotoVersion] = useState(0);
  const person = useQuery({
    queryKey: keys.person(userId),
    queryFn: ({ signal }) => get<Profile>(`/people/${enc(userId)}`, signal),
  });
  useTitle(person.data?.name);
  if (person.isPending) return <Loading label="Loading profile" />;
  if (person.isError)
    return <ErrorState error={person.error} retry={() => void person.refetch()} what="person" />;
  const p = person.data;
  const mine = p.userId === user.id;
  const facts = [p.department, p.location].filter(Boolean).join(' · ');
  return (
    <div className="page">
      <div className="profile-header">
        <div>
          <Avatar userId={p.userId} name={p.name} large version={photoVersion} />
          {mine && <PhotoPicker onChanged={() => setPhotoVersion((v) => v + 1)} />}
        </div>
        <div>
          <h1>
            {p.name} {p.org && <ExternalBadge org={p.org} />}
          </h1>
          {p.title && <p className="lead">{p.title}</p>}
          {facts && <p>{facts}</p>}
          <p className="meta">
            @{p.handle} · <a href={`mailto:${p.email}`}>{p.email}</a>
            {p.phone && (
              <>
                {' · '}
                <a href={`tel:${p.phone.replace(/[^+\d]/g, '')}`}>{p.phone}</a>
              </>
            )}
            {p.kind === 'employee' && (
              <>
                {' · '}
                <Link to={`/people/${encodeURIComponent(p.userId)}/org`}>Org chart</Link>
              </>
            )}
            {/* Personal blogs are open to employees only: a partner would find Not found there. */}
            {p.kind === 'employee' && !user.org && (
              <>
                {' · '}
                <Link to={`/spaces/${encodeURIComponent(`~${p.userId}`)}`}>
                  {mine ? 'Your blog' : 'Blog'}
                </Link>
              </>
            )}
          </p>
        </div>
        <VCardButton userId={p.userId} handle={p.handle} name={p.name} />
        {!mine && <FollowButtons userId={p.userId} name={p.name} />}
        {mine && !editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit profile
          </button>
        )}
      </div>
      {editing ? (
        <ProfileForm profile={p} routeKey={userId} done={() => setEditing(false)} />
      ) : (
        <>
          {p.about && <ServerHtml className="prose about" testId="about" html={renderMarkdown(p.about)} />}
          <Endorsements profile={p} mine={mine} />
          <KnowsAbout profile={p} mine={mine} />
        </>
      )}
      <Activity userId={p.userId} name={p.name} />
      <h2>Posts</h2>
      <PostFeed
        queryKey={keys.personPosts(userId)}
        path={`/people/${enc(userId)}/posts`}
        label={`Posts by ${p.name}`}
        empty="No posts you can see yet"
      />
    </div>
  );
}

/** `routeKey` is the id or @handle the page was opened with: the cache entry the page reads. */
function ProfileForm({ profile, routeKey, done }: { profile: Profile; routeKey: string; done: () => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState({
    title: profile.title ?? '',
    department: profile.department ?? '',
    location: profile.location ?? '',
    phone: profile.phone ?? '',
    about: profile.about ?? '',
    skills: profile.skills.join(', '),
  });
  const save = useMutation<Profile, ApiError>({
    mutationFn: () =>
      api<Profile>('PATCH', '/me', {
        ...fields,
        skills: fields.skills
          .split(',')
          .map((skill) => skill.trim())
          .filter(Boolean),
        version: profile.version ?? 1,
      }),
    onSuccess: (saved) => {
      for (const key of new Set([routeKey, profile.userId]))
        queryClient.setQueryData(keys.person(key), saved);
      void queryClient.invalidateQueries({ queryKey: keys.peopleWithSkill() });
      done();
    },
  });
  const conflict = isApiError(save.error, 'edit-conflict');
  const names = ['title', 'department', 'location', 'phone', 'about', 'skills'] as const;
  const ids = Object.fromEntries(names.map((name) => [name, `${id}-${name}`]));
  const errors = useFieldErrors(ids, conflict ? null : save.error);
  const limits = { title: 120, department: 120, location: 120, phone: 40, about: 2000 };
  const labels = {
    title: 'job title',
    department: 'department',
    location: 'location',
    phone: 'phone',
    about: 'about text',
  };
  const change = (name: keyof typeof fields, value: string) => {
    setFields({ ...fields, [name]: value });
    errors.changed(name);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const issues = (Object.keys(limits) as (keyof typeof limits)[]).flatMap((name) =>
      lengthIssue(name, labels[name], fields[name], limits[name]),
    );
    if (errors.check(issues)) save.mutate();
  };
  const near = (name: keyof typeof limits) =>
    fields[name].length >= limits[name] * 0.9 && `${id}-${name}-size`;
  const text = (name: 'title' | 'department' | 'location' | 'phone', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={fields[name]}
        onChange={(e) => change(name, e.target.value)}
        {...errors.describe(name, near(name))}
      />
      <LengthMeter id={`${id}-${name}-size`} value={fields[name]} limit={limits[name]} />
      <FieldError errors={errors} field={name} id={ids[name]} />
    </div>
  );
  return (
    <form className="editor profile-form" onSubmit={submit} aria-label="Edit your profile">
      {text('title', 'Job title')}
      {text('department', 'Department')}
      {text('location', 'Location')}
      {text('phone', 'Phone')}
      <div className="field">
        <label htmlFor={`${id}-about`}>About you</label>
        <textarea
          id={`${id}-about`}
          value={fields.about}
          onChange={(e) => change('about', e.target.value)}
          rows={4}
          {...errors.describe('about', `${id}-about-hint`, near('about'))}
        />
        <p id={`${id}-about-hint`} className="muted small">
          Markdown, as in posts: **bold**, _italic_, [link](https://…), - list.
        </p>
        <p id={`${id}-about-hint`} className="muted small">
          Markdown works here, as in posts.
        </p>
        <LengthMeter id={`${id}-about-size`} value={fields.about} limit={limits.about} />
        <FieldError errors={errors} field="about" id={ids.about} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-skills`}>Skills</label>
        <input
          id={`${id}-skills`}
          value={fields.skills}
          onChange={(e) => change('skills', e.target.value)}
          {...errors.describe('skills', `${id}-skills-hint`)}
        />
        <p id={`${id}-skills-hint`} className="muted small">
          Separate skills with commas, e.g. Kubernetes, machine learning, supplier audits.
        </p>
        <FieldError errors={errors} field="skills" id={ids.skills} />
      </div>
      {conflict ? (
        <p role="alert" className="notice notice-error">
          Not saved: your profile was changed elsewhere meanwhile. Reload to see it, then edit again.
        </p>
      ) : (
        <SaveError error={save.error} errors={errors} ids={ids} />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" onClick={done}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Who knows about a skill: the people who list it. */
export function PeopleWithSkill() {
  const [params] = useSearchParams();
  const skill = params.get('skill') ?? '';
  useTitle(skill ? `People who know ${skill}` : 'People');
  const people = useInfiniteQuery({
    queryKey: keys.peopleWithSkillNamed(skill),
    queryFn: ({ pageParam, signal }) =>
      get<Page<PersonSummary>>(`/people${query({ skill, limit: 50, cursor: pageParam })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    enabled: !!skill,
  });
  if (!skill) return <Empty title="Pick a skill on someone’s profile to see who else has it" />;
  return (
    <div className="page">
      <h1>People who know {skill}</h1>
      {people.isPending ? (
        <Loading label="Loading people" />
      ) : people.isError ? (
        <ErrorState error={people.error} retry={() => void people.refetch()} />
      ) : people.data.pages.every((page) => page.items.length === 0) && !people.hasNextPage ? (
        <Empty title={`Nobody lists ${skill} yet`}>
          <p>
            <Link to={`/search?q=${encodeURIComponent(skill)}`}>Search for {skill}</Link> to find who wrote
            about it.
          </p>
        </Empty>
      ) : (
        <>
          <ul className="people-list">
            {people.data.pages
              .flatMap((page) => page.items)
              .map((person) => (
                <li key={person.userId}>
                  <Link to={`/people/${encodeURIComponent(person.userId)}`}>{person.name}</Link>
                  {person.org && <ExternalBadge org={person.org} />}
                  {person.title && <span className="muted"> — {person.title}</span>}
                </li>
              ))}
          </ul>
          {people.hasNextPage && (
            <button
              type="button"
              disabled={people.isFetchingNextPage}
              onClick={() => void people.fetchNextPage()}
            >
              {people.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </div>
  );
}
