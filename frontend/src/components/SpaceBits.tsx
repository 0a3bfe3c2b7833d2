/** Small pieces of space UI shared by the space list and a space's own page. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, enc } from '../api/client';
import { keys } from '../api/query-keys';
import type { Space } from '../api/types';
import { ExternalBadge } from './People';

export function AudienceBadges({ space }: { space: Space }) {
  return (
    <span className="badges">
      {space.personalOf ? (
        <span className="badge">Personal blog</span>
      ) : space.audience === 'employees' ? (
        <span className="badge">Open to employees</span>
      ) : space.audience === 'members' ? (
        <span className="badge">Members only</span>
      ) : (
        <span className="badge badge-shared">Shared with partners</span>
      )}
      {space.partnerOrgs.map((org) => (
        <ExternalBadge key={org} org={org} />
      ))}
      {space.myRole && <span className="badge badge-role">You: {space.myRole}</span>}
    </span>
  );
}

/** Join or leave, as the space's permissions allow. */
export function MembershipButton({ space }: { space: Space }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (action: 'join' | 'leave') =>
      api<Space | undefined>('POST', `/spaces/${enc(space.id)}/${action}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.spaces() });
      void queryClient.invalidateQueries({ queryKey: keys.space(space.id) });
      void queryClient.invalidateQueries({ queryKey: keys.members(space.id) });
      void queryClient.invalidateQueries({ queryKey: keys.feed() });
    },
  });
  if (!space.permissions.join && !space.permissions.leave) return null;
  const action = space.permissions.join ? 'join' : 'leave';
  return (
    <span className="membership">
      <button
        type="button"
        className={action === 'join' ? 'primary' : undefined}
        disabled={change.isPending}
        onClick={() => change.mutate(action)}
        aria-label={`${action === 'join' ? 'Join' : 'Leave'} ${space.name}`}
      >
        {change.isPending
          ? action === 'join'
            ? 'Joining…'
            : 'Leaving…'
          : action === 'join'
            ? 'Join'
            : 'Leave'}
      </button>
      {change.isError && (
        <span role="alert" className="error-text small">
          {change.error.message}
        </span>
      )}
    </span>
  );
}
