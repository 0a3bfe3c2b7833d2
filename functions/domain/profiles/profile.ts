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
  /** What the person fills in themselves. */
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
  /** Markdown. */
  about?: string;
  /** The plain text of `about` (plainText), for search. */
  aboutText?: string;
  /** Normalised like tags (`machine-learning`); each also a skill item, so people can be found by it. */
  skills: string[];
  /** Topics the person does not want to be listed for (derived expertise); shown to them only. */
  hiddenTopics?: string[];
  /** Topics the person wants known, shown first under "knows about". */
  pinnedTopics?: string[];
  createdAt: string;
  updatedAt?: string;
  /** Profiles from before profiles could be edited have none stored: read as 1 (toProfile). */
  version: number;
  /** false once deactivated (SCIM, an HR import): cannot sign in; their content stays. Absent = active. */
  active?: boolean;
  /** Where the person came from when not from a first sign-in: `import` (CSV) or `scim`. */
  source?: 'import' | 'scim';
  /** The provisioning client's own id for the person (SCIM `externalId`). */
  externalId?: string;
}

export const EDITABLE_PROFILE_FIELDS = ['title', 'department', 'location', 'phone', 'about'] as const;

export function skillItems(profile: Profile, skills: string[]): Item[] {
  return skills.map((skill) => ({
    ...keys.skill(profile.userId, skill),
    type: 'skill',
    userId: profile.userId,
    skill,
    GSI1PK: keys.peopleWithSkill(skill),
    GSI1SK: `${profile.name.toLowerCase()}#${profile.userId}`,
    GSI2PK: keys.skillHolders(skill, profile.org),
    GSI2SK: `${profile.name.toLowerCase()}#${profile.userId}`,
  }));
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

/** Who holds a @handle: written with the profile, on condition that nobody holds it yet. */
export function handleClaimItem(handle: string, userId: string): Item {
  return { ...keys.handleClaim(handle), type: 'handle', handle, userId };
}

export function toProfile(item: Item): Profile {
  return { skills: [], version: 1, ...withoutKeys(item) } as unknown as Profile;
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
