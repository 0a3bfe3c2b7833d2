/**
 * All of Commonplace in one stack, assembled from one construct per concern (DESIGN.md, Architecture):
 * data → auth → api → search → streams → web → observability. Dependencies are passed as props; the
 * only wiring done here is who may use what (table access modes, search read/write) and the outputs.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { OAuthScope } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ENV } from '../functions/platform/environment';
import { ATTACHMENT_CLEANUP_ITEM_TYPES } from '../functions/streams/attachment-cleanup';
import { BOOKMARK_METADATA_ITEM_TYPES } from '../functions/streams/bookmark-metadata';
import { FANOUT_ITEM_TYPES, FANOUT_PAGES_QUEUE_URL_ENV } from '../functions/streams/fanout';
import { INDEXER_ITEM_TYPES } from '../functions/streams/indexer';
import type { CommonplaceConfig } from './config';
import { Api } from './constructs/api';
import { Auth } from './constructs/auth';
import { Data } from './constructs/data';
import { FanoutPages } from './constructs/fanout-pages';
import { Files } from './constructs/files';
import { Live } from './constructs/live';
import { Mail } from './constructs/mail';
import { Observability } from './constructs/observability';
import { PartnerSeed } from './constructs/partner-seed';
import { Scim } from './constructs/scim';
import { Search } from './constructs/search';
import { Streams } from './constructs/streams';
import { Web } from './constructs/web';
import type { LambdaEntries } from './lambda-entries';

export type { LambdaEntries };

export interface CommonplaceStackProps extends StackProps {
  config: CommonplaceConfig;
  /** Repository root (package-lock.json, tsconfig.json). */
  projectRoot: string;
  entries: LambdaEntries;
  /** Directory of the built web client (or the placeholder page). */
  webAssetPath: string;
  /** SSM parameter in us-east-1 holding the ARN of the web ACL for CloudFront (the edge stack's). */
  webAclArnParameter?: string;
}

export class CommonplaceStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;
  readonly search: Search;
  readonly streams: Streams;
  readonly fanoutPages: FanoutPages;
  readonly live: Live;
  readonly mail: Mail;
  readonly web: Web;
  readonly files: Files;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: CommonplaceStackProps) {
    super(scope, id, props);
    const { config, projectRoot, entries } = props;
    const slug = id.toLowerCase().replace(/[^a-z0-9-]/g, '-');

    this.data = new Data(this, 'Data');

    this.auth = new Auth(this, 'Auth', {
      projectRoot,
      preTokenGenerationEntry: entries.preTokenGeneration,
      partners: config.partners,
      employeeProviders: config.employeeProviders,
      table: this.data.table,
      domainPrefix: config.cognitoDomainPrefix ?? `${slug}-${this.account}`,
    });

    this.api = new Api(this, 'Api', {
      projectRoot,
      entries: entries.modules,
      table: this.data.table,
      issuer: this.auth.issuer,
      audience: this.auth.webClient.userPoolClientId,
      throttle: config.api,
    });
    // Partner organisations live in the spaces module: an admin adding one registers its IdP in Cognito.
    this.auth.grantProviderManagement(this.api.handlers.spaces);
    // SCIM provisioning (Entra ID, Okta): its own Lambda and token; HR imports deactivate people too.
    new Scim(this, 'Scim', {
      projectRoot,
      entry: entries.scim,
      table: this.data.table,
      httpApi: this.api.httpApi,
      userPool: this.auth.userPool,
      originSecretValue: this.api.originSecretValue,
      alsoDeactivating: [this.api.handlers.profiles],
    });

    this.search = new Search(this, 'Search', {
      projectRoot,
      securityConfigEntry: entries.searchSecurityConfig,
      capacity: config.search.capacity,
      operatorRoleArns: config.search.operatorRoleArns,
      domainName: `${slug.slice(0, 21).replace(/-+$/, '')}-search`,
    });
    this.search.grantRead(this.api.handlers.search);

    // The pages of a large notification audience, sent by the fan-out, written by their own Lambda.
    this.fanoutPages = new FanoutPages(this, 'FanoutPages', {
      projectRoot,
      entry: entries.fanoutPages,
      table: this.data.table,
    });

    this.streams = new Streams(this, 'Streams', {
      projectRoot,
      table: this.data.table,
      consumers: [
        {
          id: 'Indexer',
          entry: entries.indexer,
          itemTypes: INDEXER_ITEM_TYPES,
          description: 'Commonplace search indexer (table stream to OpenSearch)',
          // Reads related items (e.g. a post's space) to build security-trimmed documents.
          tableAccess: 'read',
        },
        {
          id: 'Fanout',
          entry: entries.fanout,
          itemTypes: FANOUT_ITEM_TYPES,
          description: 'Commonplace notification fan-out (table stream to inbox items)',
          // Reads spaces, members, subscribers and profiles; writes inbox items, authors' watches and home-feed items.
          tableAccess: 'readWrite',
          // A larger audience than one page goes to the fan-out page queue.
          environment: { [FANOUT_PAGES_QUEUE_URL_ENV]: this.fanoutPages.queue.queueUrl },
        },
        {
          id: 'BookmarkMetadata',
          entry: entries.bookmarkMetadata,
          itemTypes: BOOKMARK_METADATA_ITEM_TYPES,
          description: 'Commonplace bookmark metadata (table stream to page title, description and icon)',
          // Outside any VPC, like every function here. It fetches remote pages through the safe fetcher
          // and may do nothing on the table but UpdateItem the URL item it was given (no reads at all).
          tableAccess: 'update',
          // Each record may wait up to ~10 s on remote sites (page, then icon); records of a batch are
          // fetched in parallel, so a small batch keeps memory and the run time bounded.
          batchSize: 10,
          memorySize: 256,
          timeout: Duration.seconds(60),
          ...(config.safeFetch
            ? {
                environment: {
                  [ENV.safeFetchAllowedPorts]: config.safeFetch.allowedPorts.join(','),
                  [ENV.safeFetchAllowedHosts]: config.safeFetch.allowedHosts.join(','),
                },
              }
            : {}),
        },
        {
          id: 'AttachmentCleanup',
          entry: entries.attachmentCleanup,
          itemTypes: ATTACHMENT_CLEANUP_ITEM_TYPES,
          description:
            'Commonplace attachment cleanup (deleted pages and posts, removed files, expired uploads)',
          // Queries a deleted page's or post's attachments and removes them with their quota share.
          tableAccess: 'readWrite',
        },
      ],
    });
    this.search.grantWrite(this.streams.consumers.Indexer.handler);
    this.fanoutPages.grantSend(this.streams.consumers.Fanout.handler.function);

    // Live updates: an AppSync Event API; the fan-out and its page writer are its only publishers.
    this.live = new Live(this, 'Live', { userPool: this.auth.userPool });
    this.live.allowPublishing(this.streams.consumers.Fanout.handler);
    this.live.allowPublishing(this.fanoutPages.writer);

    this.web = new Web(this, 'Web', {
      assetPath: props.webAssetPath,
      apiOriginDomainName: this.api.originDomainName,
      apiOriginSecret: this.api.originSecretValue,
      customDomain: config.customDomain,
      webAclArnParameter: props.webAclArnParameter,
      live: this.live.clientSettings,
      auth: {
        issuer: this.auth.issuer,
        hostedUiBaseUrl: this.auth.hostedUiBaseUrl,
        clientId: this.auth.webClient.userPoolClientId,
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE].map((scope) => scope.scopeName),
      },
    });
    this.auth.allowWebOrigin(this.web.origin);
    // The partners of cdk.json, written into the table once, where the trigger and the app read them
    // (after the web construct, whose AwsCustomResource configures the shared function).
    new PartnerSeed(this, 'PartnerSeed', { table: this.data.table, partners: config.partners });

    // Attachments and profile photos: a private bucket, a download origin of its own (lib/constructs/files.ts).
    this.files = new Files(this, 'Files', {
      slug,
      logsBucket: this.web.logsBucket,
      appOrigin: this.web.origin,
      malwareScanning: config.files.malwareScanning,
      maxBytes: config.files.maxBytes,
      spaceQuotaBytes: config.files.spaceQuotaBytes,
    });
    this.files.allowApi(this.api.handlers.attachments);
    this.files.allowCleanup(this.streams.consumers.AttachmentCleanup.handler);
    this.web.allowFileOrigins([this.files.downloadOrigin, this.files.uploadOrigin]);

    // E-mail: the digest job and its schedule, the unsubscribe key, SES for the senders (lib/constructs/mail.ts).
    this.mail = new Mail(this, 'Mail', {
      projectRoot,
      digestEntry: entries.digest,
      table: this.data.table,
      mail: config.mail,
    });
    this.mail.setPublicUrl(this.web.origin);
    this.mail.allowSending(this.streams.consumers.Fanout.handler, this.web.origin);
    // The page writer writes inbox items as the fan-out does, so it e-mails them the same way.
    this.mail.allowSending(this.fanoutPages.writer, this.web.origin);
    this.mail.allowUnsubscribeLinks(this.api.handlers.notifications);

    this.observability = new Observability(this, 'Observability', {
      data: this.data,
      auth: this.auth,
      api: this.api,
      streams: this.streams,
      search: this.search,
      web: this.web,
      alarms: [
        ...this.data.alarms,
        ...this.auth.alarms,
        ...this.api.alarms,
        ...this.streams.alarms,
        ...this.fanoutPages.alarms,
        ...this.live.alarms,
        ...this.search.alarms,
        ...this.mail.alarms,
      ],
      alarmEmail: config.alarmEmail,
    });

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('WebUrl', this.web.origin, 'Open Commonplace here');
    output(
      'ApiEndpoint',
      this.api.httpApi.apiEndpoint,
      'HTTP API endpoint (the web app uses /api on WebUrl)',
    );
    output('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool: invite employees here');
    output('WebClientId', this.auth.webClient.userPoolClientId, 'App client of the web app');
    output('Issuer', this.auth.issuer, 'Token issuer the API trusts');
    output(
      'HostedUiBaseUrl',
      this.auth.hostedUiBaseUrl,
      'Sign-in pages; partner IdPs use <this>/saml2/idpresponse or /oauth2/idpresponse',
    );
    output('TableName', this.data.table.tableName, 'DynamoDB table');
    output('FilesBucket', this.files.bucketName, 'Attachments and profile photos (private)');
    output(
      'FilesDownloadOrigin',
      this.files.downloadOrigin,
      'Where files are downloaded from (never the app origin)',
    );
    output(
      'LiveRealtimeEndpoint',
      this.live.clientSettings.realtimeUrl,
      'AppSync Events WebSocket endpoint of live notifications',
    );
    output('SearchEndpoint', this.search.endpoint, 'OpenSearch domain endpoint');
    output(
      'IndexerFailureQueueUrl',
      this.streams.consumers.Indexer.failureQueue.queueUrl,
      'Stream batches the indexer gave up on',
    );
    output(
      'FanoutFailureQueueUrl',
      this.streams.consumers.Fanout.failureQueue.queueUrl,
      'Stream batches the notification fan-out gave up on',
    );
    output(
      'FanoutPagesDeadLetterQueueUrl',
      this.fanoutPages.deadLetterQueue.queueUrl,
      'Fan-out pages that failed every delivery (redrive to the page queue after a fix)',
    );
    output(
      'BookmarkMetadataFailureQueueUrl',
      this.streams.consumers.BookmarkMetadata.failureQueue.queueUrl,
      'Stream batches the bookmark metadata consumer gave up on',
    );
    output(
      'MailStatus',
      config.mail
        ? `on: SES as ${config.mail.from}`
        : 'off: set commonplace:mailFrom and commonplace:sesIdentityArn in cdk.json (docs/operations.md, "E-mail")',
      'E-mail notifications and digests',
    );
    output('AlarmTopicArn', this.observability.alarmTopic.topicArn, 'Subscribe operators to this topic');
    output('DashboardName', this.observability.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
