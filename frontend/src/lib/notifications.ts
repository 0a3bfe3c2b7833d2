/** How an inbox item reads and where it leads. */
import type { Notification } from '../api/types';

/** "mentioned you in", "commented on", ...: what the actor did, before the title. */
export function whatHappened(n: Notification): string {
  if (n.reason === 'mention')
    return n.event.startsWith('comment') ? 'mentioned you in a comment on' : 'mentioned you in';
  switch (n.event) {
    case 'post-published':
      return 'posted';
    case 'post-edited':
      return 'edited';
    case 'comment-added':
      return n.reason === 'reply' ? 'replied to your comment on' : 'commented on';
    case 'comment-edited':
      return 'edited a comment on';
    case 'page-created':
      return 'created the page';
    case 'page-edited':
      return 'edited the page';
    case 'post-liked': {
      const others = Math.max(0, (n.likeCount ?? 1) - 1);
      return `${others ? `and ${others} other${others === 1 ? '' : 's'} ` : ''}liked your post`;
    }
    case 'space-shared':
      return 'shared with your organisation the space';
  }
}

export function notificationPath(n: Notification): string {
  const space = `/spaces/${encodeURIComponent(n.spaceId)}`;
  if (n.postId)
    return `${space}/posts/${encodeURIComponent(n.postId)}${n.commentId ? `#comment-${n.commentId}` : ''}`;
  if (n.pageId) return `${space}/pages/${encodeURIComponent(n.pageId)}`;
  return space;
}
