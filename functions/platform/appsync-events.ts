/**
 * The live channel in AWS: publishes inbox items to AppSync Events over its HTTP endpoint
 * (`POST https://<http domain>/event`, body `{ channel, events }`, each event the JSON text of one
 * message, at most 5 per request), signed with SigV4 (service `appsync`, IAM auth; the fan-out and the
 * page writer are the only roles granted `appsync:EventPublish`, lib/constructs/live.ts). Built on the
 * SDK's own HTTP handler and signer, as sqs-queue.ts is: no AppSync client in the bundle.
 *
 * One channel per person (`liveChannelOf`), so the items of one recipient are batched together. A
 * failed request throws once the others are done; the caller (`announce`) logs and counts it and
 * carries on: the inbox items are written already, and the client also polls.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { liveChannelOf, liveMessageOf, MAX_EVENTS_PER_PUBLISH } from '../domain/subscriptions/live-channel';
import type { Notification } from '../domain/subscriptions/notification';
import type { LiveChannel } from '../streams/live-announce';
import { SignedPoster } from './signed-post';

/**
 * The environment variable naming the Event API's HTTP domain (set by lib/constructs/live.ts on the two
 * publishers). Named here, not in platform/environment.ts, whose ENV every bundle carries.
 */
export const LIVE_EVENTS_HTTP_DOMAIN_ENV = 'LIVE_EVENTS_HTTP_DOMAIN';
/** Requests in flight at once (a page of 200 recipients is 200 channels). */
const CONCURRENCY = 16;

/** One publish request: a channel and up to MAX_EVENTS_PER_PUBLISH events (JSON texts). */
export interface PublishRequest {
  channel: string;
  events: string[];
}

/** The requests that carry `notifications`: grouped by recipient's channel, 5 events at most each. */
export function publishRequests(notifications: Notification[]): PublishRequest[] {
  const byChannel = new Map<string, string[]>();
  for (const n of notifications) {
    const channel = liveChannelOf(n.recipientId);
    if (!byChannel.has(channel)) byChannel.set(channel, []);
    byChannel.get(channel)!.push(JSON.stringify(liveMessageOf(n)));
  }
  const requests: PublishRequest[] = [];
  for (const [channel, events] of byChannel)
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_PUBLISH)
      requests.push({ channel, events: events.slice(i, i + MAX_EVENTS_PER_PUBLISH) });
  return requests;
}

interface PublishResult {
  successful?: { identifier: string; index: number }[];
  failed?: { identifier: string; index: number; code?: string; message?: string }[];
}

export class AppSyncEventsChannel implements LiveChannel {
  private readonly poster: SignedPoster;
  /** Requests that failed since start (logs; tests). */
  failures = 0;

  constructor(
    httpDomain: string,
    options: {
      region: string;
      credentials: AwsCredentialIdentityProvider;
      /** Tests post to a local server over plain HTTP. @default 'https:' */
      protocol?: 'http:' | 'https:';
    },
  ) {
    this.poster = new SignedPoster(new URL(`${options.protocol ?? 'https:'}//${httpDomain}`), {
      service: 'appsync',
      region: options.region,
      credentials: options.credentials,
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
    });
  }

  async publish(notifications: Notification[]): Promise<void> {
    const requests = publishRequests(notifications);
    const errors: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        try {
          await this.post(request);
        } catch (error) {
          this.failures++;
          errors.push((error as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
    if (errors.length)
      throw new Error(`${errors.length} of ${requests.length} live publish requests failed: ${errors[0]}`);
  }

  private async post({ channel, events }: PublishRequest) {
    const { status, text } = await this.poster.post('/event', JSON.stringify({ channel, events }), {
      'content-type': 'application/json',
    });
    if (status >= 300) throw new Error(`AppSync Events answered ${status}: ${text.slice(0, 200)}`);
    const result = (text ? JSON.parse(text) : {}) as PublishResult;
    if (result.failed?.length)
      throw new Error(
        `AppSync Events refused ${result.failed.length} events: ${result.failed[0].code ?? ''}`,
      );
  }
}

/** The channel for a Lambda: from LIVE_EVENTS_HTTP_DOMAIN, or none where the stack sets no Event API. */
export function liveChannelFromEnvironment(
  credentials: AwsCredentialIdentityProvider,
): AppSyncEventsChannel | undefined {
  const domain = process.env[LIVE_EVENTS_HTTP_DOMAIN_ENV];
  if (!domain) return undefined;
  return new AppSyncEventsChannel(domain, { region: process.env.AWS_REGION ?? '', credentials });
}
