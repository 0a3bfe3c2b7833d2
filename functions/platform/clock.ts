/** Time and ids come through ports so tests and the domain agree on them. */
import { monotonicFactory } from 'ulidx';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface IdGenerator {
  /** A time-ordered unique id (ULID), lower case so it reads well in URLs. */
  next(): string;
}
const ulid = monotonicFactory();
export const ulidGenerator: IdGenerator = { next: () => ulid().toLowerCase() };
