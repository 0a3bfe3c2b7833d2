/**
 * Watch (or Follow) and Mute, wherever a thing is shown: two toggle buttons whose pressed state comes
 * from the cached lists of my watches and follows; pressing the pressed one stops it. The API refuses
 * (404) what the reader cannot read, and says so here.
 */
import { useId } from 'react';
import {
  findWatch,
  useFollows,
  useSetFollow,
  useSetWatch,
  useWatches,
  type WatchTarget,
} from '../api/subscriptions';

interface TogglesProps {
  /** "Watch" or "Follow". */
  verb: string;
  /** Whose or what, for the group's name: "Engineering", "#release". */
  name: string;
  /** What watching or following tells, for its description. */
  hint: string;
  state: 'on' | 'muted' | undefined;
  loading: boolean;
  pending: boolean;
  error: Error | null;
  set: (state: 'on' | 'muted' | null) => void;
}

function Toggles({ verb, name, hint, state, loading, pending, error, set }: TogglesProps) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two toggle buttons, not a form fieldset
    <span className="subscribe" role="group" aria-label={`Notifications about ${name}`}>
      <button
        type="button"
        aria-pressed={state === 'on'}
        aria-describedby={`${id}-on`}
        disabled={loading || pending}
        onClick={() => set(state === 'on' ? null : 'on')}
      >
        {state === 'on' && <span aria-hidden="true">✓ </span>}
        {verb}
      </button>
      <button
        type="button"
        aria-pressed={state === 'muted'}
        aria-describedby={`${id}-mute`}
        title="Mute: never notify me about this"
        disabled={loading || pending}
        onClick={() => set(state === 'muted' ? null : 'muted')}
      >
        {state === 'muted' && <span aria-hidden="true">✓ </span>}
        Mute
      </button>
      <span id={`${id}-on`} className="visually-hidden">
        {hint}
      </span>
      <span id={`${id}-mute`} className="visually-hidden">
        Never notify me about this
      </span>
      {error && (
        <span role="alert" className="error-text small">
          {error.message}
        </span>
      )}
    </span>
  );
}

const HINTS: Record<WatchTarget['kind'], string> = {
  space: 'Notify me of new posts here',
  tag: 'Notify me of new posts with this tag',
  post: 'Notify me of new comments',
  page: 'Notify me of edits',
};

export function WatchButtons({ target, name }: { target: WatchTarget; name: string }) {
  const watches = useWatches();
  const change = useSetWatch();
  const level = findWatch(watches.data, target)?.level;
  return (
    <Toggles
      verb="Watch"
      name={name}
      hint={HINTS[target.kind]}
      state={level === 'watching' ? 'on' : level}
      loading={watches.isPending}
      pending={change.isPending}
      error={change.error}
      set={(state) =>
        change.mutate({ target, level: state === 'on' ? 'watching' : state === 'muted' ? 'muted' : null })
      }
    />
  );
}

export function FollowButtons({ userId, name }: { userId: string; name: string }) {
  const follows = useFollows();
  const change = useSetFollow();
  const level = follows.data?.find((follow) => follow.userId === userId)?.level;
  return (
    <Toggles
      verb="Follow"
      name={name}
      hint="Notify me of their new posts"
      state={level === 'following' ? 'on' : level}
      loading={follows.isPending}
      pending={change.isPending}
      error={change.error}
      set={(state) =>
        change.mutate({ userId, level: state === 'on' ? 'following' : state === 'muted' ? 'muted' : null })
      }
    />
  );
}
