/**
 * Attachments and profile photos (functions/blobs/, docs/deploy.md "Files"): one private bucket and a
 * download distribution of its own.
 *
 * - The bucket: SSE-S3 encryption, TLS only, versioning (a deleted file stays recoverable 30 days), no
 *   public access of any kind, access logs, CORS for the app's origin only (the browser POSTs uploads to
 *   it with presigned forms). Uploads never confirmed (`uploads/`) expire after a day.
 * - The download distribution: a CloudFront domain that is not the app's, in front of the bucket's REST
 *   endpoint, forwarding the presigned query (S3 checks the signature; CloudFront caches nothing) and
 *   adding `nosniff`, a sandboxing CSP and `no-referrer` to every answer. So a file, whatever it holds,
 *   never runs in the app's origin.
 * - Optionally (`commonplace:malwareScanning`) GuardDuty Malware Protection for S3 scans every new file
 *   and photo and tags it; the bucket policy refuses to serve an object tagged THREATS_FOUND to anyone.
 *
 * The bucket has a fixed name (`<stack>-files-<account>-<region>`) so the download distribution's
 * origin, the app's CSP and the bucket's CORS rule can name each other without a dependency cycle.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import type { ServiceFunction } from './service-function';

export interface FilesProps {
  /** The stack's slug: the bucket is `<slug>-files-<account>-<region>`. */
  slug: string;
  /** Where the bucket and the download distribution write their access logs. */
  logsBucket: IBucket;
  /** `https://host` of the web app: the only origin the bucket's CORS answers. */
  appOrigin: string;
  /** GuardDuty Malware Protection for S3 on new files and photos. @default false */
  malwareScanning?: boolean;
  /** Largest file and per-space quota, bytes. @default the functions' defaults (25 MiB, 10 GiB) */
  maxBytes?: number;
  spaceQuotaBytes?: number;
  /** @default PriceClass.PRICE_CLASS_100 */
  priceClass?: PriceClass;
}

/** The tag GuardDuty Malware Protection for S3 writes on each object it scanned. */
export const MALWARE_SCAN_TAG = 'GuardDutyMalwareScanStatus';

export class Files extends Construct {
  readonly bucket: Bucket;
  readonly bucketName: string;
  readonly downloads: Distribution;
  /** `https://<bucket>.s3.<region>.amazonaws.com`: where browsers POST uploads. */
  readonly uploadOrigin: string;
  /** `https://<download domain>`: where images and downloads come from. */
  readonly downloadOrigin: string;
  readonly malwareProtection?: CfnMalwareProtectionPlan;
  private readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: FilesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucketName = `${props.slug.slice(0, 20).replace(/-+$/, '')}-files-${stack.account}-${stack.region}`;
    const bucketHost = `${this.bucketName}.s3.${stack.region}.amazonaws.com`;

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logsBucket,
      serverAccessLogsPrefix: 'files-bucket/',
      cors: [
        {
          allowedOrigins: [props.appOrigin],
          allowedMethods: [HttpMethods.POST],
          allowedHeaders: ['*'],
          maxAge: 600,
        },
      ],
      lifecycleRules: [
        // Uploads never confirmed (and bytes sent again after a confirmation) are gone after a day.
        { id: 'unconfirmed-uploads', prefix: 'uploads/', expiration: Duration.days(1) },
        {
          id: 'old-versions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
        { id: 'incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A file GuardDuty found infected is served to nobody, whatever link or role asks.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NeverServeInfectedFiles',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG}`]: 'THREATS_FOUND' } },
      }),
    );

    const headers = new ResponseHeadersPolicy(this, 'DownloadHeaders', {
      comment: 'Commonplace downloads: nothing runs, nothing is sniffed',
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
          override: true,
        },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        // The app shows images from here in its own pages.
        customHeaders: [{ header: 'Cross-Origin-Resource-Policy', value: 'cross-origin', override: true }],
      },
    });
    // The presigned query goes to S3, which checks it; the Host stays the bucket's (what it was signed for).
    const forwardQuery = new OriginRequestPolicy(this, 'ForwardSignature', {
      comment: 'Commonplace downloads: the presigned query string, nothing else',
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    });
    this.downloads = new Distribution(this, 'Downloads', {
      comment: 'Commonplace file downloads (never the app origin)',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: 'downloads/',
      defaultBehavior: {
        origin: new HttpOrigin(bucketHost, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Every answer comes from S3 after it checked the signature: nothing is cached at the edge.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: forwardQuery,
        responseHeadersPolicy: headers,
      },
    });
    Validations.of(this.downloads).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Employees and partners may work from anywhere; no country to block.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Every download needs a presigned URL that S3 checks (minted by the API after a permission check, valid minutes); a web ACL adds nothing but cost.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin a minimum TLS version; the origin side is TLS 1.2 only.',
      },
    );
    this.uploadOrigin = `https://${bucketHost}`;
    this.downloadOrigin = `https://${this.downloads.distributionDomainName}`;
    this.environment = {
      [ENV.filesBucket]: this.bucketName,
      [ENV.filesDownloadDomain]: this.downloads.distributionDomainName,
      ...(props.maxBytes ? { [ENV.attachmentMaxBytes]: String(props.maxBytes) } : {}),
      ...(props.spaceQuotaBytes ? { [ENV.attachmentSpaceQuotaBytes]: String(props.spaceQuotaBytes) } : {}),
    };

    if (props.malwareScanning) this.malwareProtection = this.scanForMalware();
  }

  /**
   * The attachments API Lambda: presigns uploads (s3:PutObject under uploads/) and downloads
   * (s3:GetObject of files and photos), reads the first bytes of an upload, copies it to its lasting key
   * and removes the upload.
   */
  allowApi(handler: ServiceFunction): void {
    this.bind(handler, [
      { actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], prefix: 'uploads/*' },
      { actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], prefix: 'files/*' },
      { actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], prefix: 'photos/*' },
    ]);
  }

  /**
   * Bookmark imports (issue 12): the bookmarks API Lambda presigns the file's upload and checks it
   * arrived (put and get under uploads/); the import worker reads it and deletes it when the job ends.
   */
  allowBookmarkImports(api: ServiceFunction, worker: ServiceFunction): void {
    this.bind(api, [{ actions: ['s3:PutObject', 's3:GetObject'], prefix: 'uploads/*' }]);
    this.bind(worker, [{ actions: ['s3:GetObject', 's3:DeleteObject'], prefix: 'uploads/*' }]);
  }

  /** The cleanup consumer: deletes bytes whose records are gone. */
  allowCleanup(handler: ServiceFunction): void {
    this.bind(handler, [
      { actions: ['s3:DeleteObject'], prefix: 'uploads/*' },
      { actions: ['s3:DeleteObject'], prefix: 'files/*' },
      { actions: ['s3:DeleteObject'], prefix: 'photos/*' },
    ]);
  }

  private bind(handler: ServiceFunction, grants: { actions: string[]; prefix: string }[]) {
    for (const [name, value] of Object.entries(this.environment))
      handler.function.addEnvironment(name, value);
    for (const grant of grants) {
      handler.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: grant.actions, resources: [this.bucket.arnForObjects(grant.prefix)] }),
      );
      Validations.of(handler.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${this.nagBucketArn()}/${grant.prefix}]`,
        reason: `Objects are named by ids the domain makes (${grant.prefix.replace('*', '<space or person>/<id>')}); ${grant.actions.join(', ')} on that prefix of the files bucket only.`,
      });
    }
  }

  /** How cdk-nag prints the bucket's ARN in an IAM5 finding. */
  private nagBucketArn(): string {
    return `<${Stack.of(this).resolve((this.bucket.node.defaultChild as CfnBucket).logicalId)}.Arn>`;
  }

  /** GuardDuty Malware Protection for S3 on files/ and photos/, tagging each scanned object. */
  private scanForMalware(): CfnMalwareProtectionPlan {
    const stack = Stack.of(this);
    const role = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3: scans and tags new Commonplace files',
    });
    const ruleArn = stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'events:PutRule',
          'events:DeleteRule',
          'events:PutTargets',
          'events:RemoveTargets',
          'events:DescribeRule',
        ],
        resources: [ruleArn],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:PutBucketNotification',
          's3:GetBucketNotification',
          's3:GetBucketLocation',
          's3:ListBucket',
        ],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
        ],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${this.nagBucketArn()}/*]`,
        reason:
          'GuardDuty reads and tags every new object of the files bucket it scans (that bucket only), as its documented role policy requires.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
        reason:
          'The EventBridge rules GuardDuty manages for the plan (named by GuardDuty, conditioned on events:ManagedBy).',
      },
    );
    const plan = new CfnMalwareProtectionPlan(this, 'MalwareProtection', {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: this.bucketName, objectPrefixes: ['files/', 'photos/'] } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(role);
    plan.node.addDependency(this.bucket);
    return plan;
  }
}
