/**
 * Expertise, "knows about", activity, endorsements, topic choices and @mention candidates: the view
 * types, cache keys and requests of issue 15's second half, in one file of their own.
 */
import { enc, get, query } from './client';

export type ContributionKind = 'wrote' | 'edited' | 'commented' | 'saved';

export interface ActivityItem {
  kind: ContributionKind;
  type: 'post' | 'comment' | 'page' | 'bookmark' | 'profile';
  title: string;
  url: string;
  updatedAt: string;
  spaceId?: string;
  spaceName?: string;
  tags: string[];
}

export interface Evidence extends ActivityItem {
  tagged: boolean;
}

export interface Expert {
  userId: string;
  name: string;
  title?: string;
  department?: string;
  org?: string;
  score: number;
  contributions: number;
  pinned: boolean;
  evidence: Evidence[];
}

export interface KnowsAbout {
  pinned: string[];
  derived: { topic: string; score: number; count: number }[];
  hidden?: string[];
}

export interface SkillEndorsements {
  skill: string;
  count: number;
  endorsers: { userId: string; name: string; org?: string }[];
  endorsedByMe: boolean;
}

export interface MentionCandidate {
  userId: string;
  name: string;
  handle: string;
  title?: string;
  org?: string;
}

export const expertiseKeys = {
  experts: (topic: string) => ['expertise', topic] as const,
  topics: (userId: string) => ['person-topics', userId] as const,
  activity: (userId: string) => ['person-activity', userId] as const,
  endorsements: (userId: string) => ['person-endorsements', userId] as const,
  mentionable: (spaceId: string, q: string) => ['mentionable', spaceId, q] as const,
};

export const expertisePath = (topic: string) => `/people/expertise?topic=${encodeURIComponent(topic)}`;

export const fetchExperts = (topic: string, signal?: AbortSignal) =>
  get<{ topic: string; tag?: string; people: Expert[] }>(`/expertise${query({ topic })}`, signal);
export const fetchTopics = (userId: string, signal?: AbortSignal) =>
  get<KnowsAbout>(`/people/${enc(userId)}/topics`, signal);
export const fetchActivity = (userId: string, cursor: string | undefined, signal?: AbortSignal) =>
  get<{ items: ActivityItem[]; cursor?: string }>(
    `/people/${enc(userId)}/activity${query({ limit: 10, cursor })}`,
    signal,
  );
export const fetchEndorsements = (userId: string, signal?: AbortSignal) =>
  get<{ items: SkillEndorsements[] }>(`/people/${enc(userId)}/endorsements`, signal);
export const fetchMentionable = (spaceId: string, q: string, signal?: AbortSignal) =>
  get<{ items: MentionCandidate[] }>(`/spaces/${enc(spaceId)}/mentionable${query({ q })}`, signal);

export const KIND_LABEL: Record<ContributionKind, string> = {
  wrote: 'Wrote',
  edited: 'Edited',
  commented: 'Commented',
  saved: 'Saved',
};
