/**
 * "Knows about" on a profile: the topics the person pinned, then those derived from their work you
 * may read. On your own profile each topic can be pinned or hidden (you are then not listed for it),
 * and hidden ones can be shown again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type ApiError, api } from '../../api/client';
import { expertiseKeys, expertisePath, fetchTopics, type KnowsAbout as Topics } from '../../api/expertise';
import { keys } from '../../api/query-keys';
import type { Profile } from '../../api/types';

export function KnowsAbout({ profile, mine }: { profile: Profile; mine: boolean }) {
  const queryClient = useQueryClient();
  const topics = useQuery({
    queryKey: expertiseKeys.topics(profile.userId),
    queryFn: ({ signal }) => fetchTopics(profile.userId, signal),
  });
  const choose = useMutation<{ hidden: string[]; pinned: string[]; version: number }, ApiError, Topics>({
    mutationFn: async (next) => {
      // The version to write against is the profile's current one.
      const me = await api<Profile>('GET', '/me');
      return api('PUT', '/me/topics', {
        hidden: next.hidden ?? [],
        pinned: next.pinned,
        version: me.version,
      });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: expertiseKeys.topics(profile.userId) });
      void queryClient.invalidateQueries({ queryKey: keys.person(profile.userId) });
      void queryClient.invalidateQueries({ queryKey: ['expertise'] });
    },
  });
  if (topics.isPending || topics.isError) return null;
  const { pinned, derived, hidden = [] } = topics.data;
  if (!mine && pinned.length === 0 && derived.length === 0) return null;
  const change = (next: { pinned: string[]; hidden: string[] }) => choose.mutate({ ...topics.data, ...next });
  return (
    <section aria-labelledby="knows-about-title" className="knows-about">
      <h2 id="knows-about-title">Knows about</h2>
      {pinned.length === 0 && derived.length === 0 ? (
        <p className="muted">
          Nothing yet: topics appear here from the tags of what you write, edit and save.
        </p>
      ) : (
        <ul className="tags topic-list">
          {pinned.map((topic) => (
            <li key={`p-${topic}`}>
              <Link to={expertisePath(topic)}>{topic}</Link> <span className="muted small">pinned</span>
              {mine && (
                <button
                  type="button"
                  className="link-button small"
                  disabled={choose.isPending}
                  onClick={() => change({ pinned: pinned.filter((t) => t !== topic), hidden })}
                >
                  Unpin<span className="visually-hidden"> {topic}</span>
                </button>
              )}
            </li>
          ))}
          {derived.map(({ topic, count }) => (
            <li key={`d-${topic}`}>
              <Link to={expertisePath(topic)}>{topic}</Link>{' '}
              <span className="muted small">
                {count} {count === 1 ? 'item' : 'items'}
              </span>
              {mine && (
                <>
                  <button
                    type="button"
                    className="link-button small"
                    disabled={choose.isPending}
                    onClick={() => change({ pinned: [...pinned, topic], hidden })}
                  >
                    Pin<span className="visually-hidden"> {topic}</span>
                  </button>
                  <button
                    type="button"
                    className="link-button small"
                    disabled={choose.isPending}
                    onClick={() => change({ pinned, hidden: [...hidden, topic] })}
                  >
                    Hide<span className="visually-hidden"> {topic}</span>
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {mine && hidden.length > 0 && (
        <p className="small">
          Hidden (you are not listed for these):{' '}
          {hidden.map((topic) => (
            <button
              key={topic}
              type="button"
              className="link-button small"
              disabled={choose.isPending}
              onClick={() => change({ pinned, hidden: hidden.filter((t) => t !== topic) })}
            >
              Show {topic} again
            </button>
          ))}
        </p>
      )}
      {choose.isError && (
        <p role="alert" className="error-text small">
          {choose.error.message}
        </p>
      )}
    </section>
  );
}
