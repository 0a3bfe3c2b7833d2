/**
 * The environment variables the Lambdas read, named once: the CDK constructs set them by these names
 * and the Lambda entries read them through `requiredEnv`, so a rename cannot leave one side behind.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  searchEndpoint: 'SEARCH_ENDPOINT',
  searchAlias: 'SEARCH_ALIAS',
  /** The pre-token trigger: Cognito provider names of the company's own IdPs (employees), comma-separated. */
  employeeIdentityProviders: 'EMPLOYEE_IDENTITY_PROVIDERS',
  /** The spaces Lambda (partner organisations): the user pool and web client whose IdPs it manages. */
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  logLevel: 'LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** The secret CloudFront sends in a header to the API; requests without it are refused. */
  originSecret: 'ORIGIN_SECRET',
  /** Optional: ports beyond 80/443 the safe fetcher may fetch (functions/safe-fetch/). */
  safeFetchAllowedPorts: 'SAFE_FETCH_ALLOWED_PORTS',
  /** Optional: host names the safe fetcher may fetch at private addresses (functions/safe-fetch/). */
  safeFetchAllowedHosts: 'SAFE_FETCH_ALLOWED_HOSTS',
  /** E-mail (functions/mail/aws-mail.ts): the sender; unset means mail is off in AWS. */
  mailFrom: 'MAIL_FROM',
  /** The web client's origin, where links in e-mails point. */
  publicUrl: 'PUBLIC_URL',
  /** The Secrets Manager secret holding the HMAC key of unsubscribe links. */
  unsubscribeSecretArn: 'UNSUBSCRIBE_SECRET_ARN',
  /** The Lambda's region (set by the Lambda runtime itself). */
  region: 'AWS_REGION',
  /** Attachments (functions/blobs/): the private bucket and the download distribution's domain. */
  filesBucket: 'FILES_BUCKET',
  filesDownloadDomain: 'FILES_DOWNLOAD_DOMAIN',
  /** Optional limits, bytes (cdk.json `commonplace:attachmentMaxBytes` / `commonplace:attachmentSpaceQuotaBytes`). */
  attachmentMaxBytes: 'ATTACHMENT_MAX_BYTES',
  attachmentSpaceQuotaBytes: 'ATTACHMENT_SPACE_QUOTA_BYTES',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** The value of a variable the function cannot work without; a missing one fails at cold start. */
export function requiredEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
