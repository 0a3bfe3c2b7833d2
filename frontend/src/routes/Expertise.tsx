/**
 * Who knows about a topic (`/people/expertise?topic=…`): people ranked by what they wrote, edited,
 * commented and saved about it, each with the evidence that put them there — only what you may read.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Evidence, type Expert, expertiseKeys, fetchExperts, KIND_LABEL } from '../api/expertise';
import { ExternalBadge } from '../components/People';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';

export default function Expertise() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const topic = (params.get('topic') ?? '').trim();
  const [text, setText] = useState(topic);
  useEffect(() => setText(topic), [topic]);
  useTitle(topic ? `Who knows about ${topic}` : 'Who knows about…');
  const experts = useQuery({
    queryKey: expertiseKeys.experts(topic),
    queryFn: ({ signal }) => fetchExperts(topic, signal),
    enabled: !!topic,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) setParams({ topic: text.trim() });
  };
  return (
    <div className="page expertise">
      <h1>{topic ? `Who knows about ${topic}` : 'Who knows about…'}</h1>
      <form className="search-form" onSubmit={submit} aria-label="Find people who know about a topic">
        <label htmlFor={`${id}-topic`}>Topic</label>
        <input
          id={`${id}-topic`}
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
          placeholder="A tag, a skill or a few words, e.g. kubernetes"
        />
        <button type="submit" className="primary">
          Find people
        </button>
      </form>
      <p className="muted small">
        Ranked by what people wrote, edited, commented and saved about the topic — posts count most, then page
        edits, comments and saved links, newer work more than older, and work tagged with the topic more. Only
        what you may read counts, and is shown.
      </p>
      {!topic ? (
        <Empty title="Type a topic to see who knows about it" />
      ) : experts.isPending ? (
        <Loading label="Finding people" />
      ) : experts.isError ? (
        <ErrorState error={experts.error} retry={() => void experts.refetch()} />
      ) : experts.data.people.length === 0 ? (
        <Empty title={`Nobody’s work about “${topic}” that you can read`}>
          <p>
            {/* What people list as skills is not work they did, so it does not rank here; it is one click away. */}
            See{' '}
            <Link to={`/people?skill=${encodeURIComponent(topic)}`}>people who list {topic} as a skill</Link>,
            or <Link to={`/search?q=${encodeURIComponent(topic)}`}>search for {topic}</Link>.
          </p>
        </Empty>
      ) : (
        <ol className="plain-list expert-list" aria-label={`People who know about ${topic}`}>
          {experts.data.people.map((person) => (
            <ExpertCard key={person.userId} person={person} />
          ))}
        </ol>
      )}
    </div>
  );
}

function ExpertCard({ person }: { person: Expert }) {
  const facts = [person.title, person.department].filter(Boolean).join(' · ');
  return (
    <li className="card person-hit" data-testid="expert">
      <h2>
        <Link to={`/people/${encodeURIComponent(person.userId)}`}>{person.name}</Link>{' '}
        {person.org && <ExternalBadge org={person.org} />}
        {person.pinned && <span className="badge">Pinned by {person.name.split(' ')[0]}</span>}
      </h2>
      {facts && <p className="muted small">{facts}</p>}
      <p className="small">
        {person.contributions} {person.contributions === 1 ? 'contribution' : 'contributions'} you can read
      </p>
      <ul className="evidence" aria-label={`Why ${person.name}`}>
        {person.evidence.map((item) => (
          <EvidenceItem key={`${item.kind}-${item.url}`} item={item} />
        ))}
      </ul>
    </li>
  );
}

function EvidenceItem({ item }: { item: Evidence }) {
  return (
    <li>
      <span className="muted small">{KIND_LABEL[item.kind]}: </span>
      <Link to={item.url}>{item.title}</Link>
      {item.spaceName && <span className="muted small"> in {item.spaceName}</span>}
      <span className="muted small">
        {' · '}
        <Time iso={item.updatedAt} />
      </span>
      {item.tagged && <span className="muted small"> · tagged</span>}
    </li>
  );
}
