import { formatDate, timeAgo } from '../lib/time';

export function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {timeAgo(iso)}
    </time>
  );
}
