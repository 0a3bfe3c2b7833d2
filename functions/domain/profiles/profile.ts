/** A person's profile record: created from token claims on first sign-in, extended by later modules. */
import { keys } from '../../data/keys';
import { type Item, withoutKeys } from '../../data/table';

export interface Profile {
  userId: string;
  name: string;
  email: string;
  handle: string;
  /** Partner organisation; absent for employees. */
  org?: string;
  kind: 'employee' | 'partner';
  title?: string;
  createdAt: string;
}

export function profileItem(profile: Profile): Item {
  return {
    ...keys.profile(profile.userId),
    type: 'profile',
    ...profile,
    GSI1PK: keys.peopleDirectory(profile.org),
    GSI1SK: `${profile.name.toLowerCase()}#${profile.userId}`,
    GSI2PK: keys.handle(profile.handle),
    GSI2SK: 'PROFILE',
  };
}

export function toProfile(item: Item): Profile {
  return withoutKeys(item) as unknown as Profile;
}

/** The @handle of a person: the local part of their e-mail, lower case. */
export function handleFromEmail(email: string): string {
  return (
    email
      .split('@')[0]
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '') || 'user'
  );
}
