/** A person's recent activity on their profile: posts, page edits, comments and saved links you may read. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { expertiseKeys, fetchActivity, KIND_LABEL } from '../../api/expertise';
import { Empty, ErrorState, Loading } from '../States';
import { Time } from '../Time';

export function Activity({ userId, name }: { userId: string; name: string }) {
  const activity = useInfiniteQuery({
    queryKey: expertiseKeys.activity(userId),
    queryFn: ({ pageParam, signal }) => fetchActivity(userId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  return (
    <section aria-labelledby="activity-title" className="activity">
      <h2 id="activity-title">Recent activity</h2>
      {activity.isPending ? (
        <Loading label="Loading activity" />
      ) : activity.isError ? (
        <ErrorState error={activity.error} retry={() => void activity.refetch()} />
      ) : activity.data.pages[0].items.length === 0 ? (
        <Empty title="No activity you can see yet" />
      ) : (
        <>
          <ul className="plain-list activity-list" aria-label={`Recent activity of ${name}`}>
            {activity.data.pages
              .flatMap((page) => page.items)
              .map((item) => (
                <li key={`${item.kind}-${item.url}`}>
                  <span className="muted small">{KIND_LABEL[item.kind]}: </span>
                  <Link to={item.url}>{item.title}</Link>
                  {item.spaceName && <span className="muted small"> in {item.spaceName}</span>}
                  <span className="muted small">
                    {' · '}
                    <Time iso={item.updatedAt} />
                  </span>
                </li>
              ))}
          </ul>
          {activity.hasNextPage && (
            <button
              type="button"
              disabled={activity.isFetchingNextPage}
              onClick={() => void activity.fetchNextPage()}
            >
              {activity.isFetchingNextPage ? 'Loading…' : 'More activity'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
