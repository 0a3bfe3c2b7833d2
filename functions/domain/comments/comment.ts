/** A comment as the domain sees it, and its item. */
import { type Item, withoutKeys } from '../../data/table';

export interface Comment {
  id: string;
  spaceId: string;
  postId: string;
  parentId?: string;
  authorId: string;
  authorName: string;
  authorOrg?: string;
  body: string;
  html: string;
  /** Plain text of `body`, for search. */
  text: string;
  mentions: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
  deleted?: boolean;
}

/** A comment item as the domain object (who deleted it stays in the table, for moderation). */
export function toComment(item: Item): Comment {
  const { deletedBy: _deletedBy, ...rest } = withoutKeys(item);
  return rest as unknown as Comment;
}
