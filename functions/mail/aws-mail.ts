/**
 * Mail in AWS, from the environment the stack sets: SES as the sender identity of `MAIL_FROM`, links
 * to `PUBLIC_URL`, the unsubscribe key from the secret `UNSUBSCRIBE_SECRET_ARN`. No `MAIL_FROM` (the
 * stack was deployed without `commonplace:mail` in cdk.json): mail is off, undefined.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { MailSettings } from '../domain/mail/mail-port';
import { ENV } from '../platform/environment';
import { SesMailer } from './ses-mailer';
import { secretsManagerKey } from './unsubscribe-keys';

export function awsUnsubscribeKey(): (() => Promise<Uint8Array>) | undefined {
  const secret = process.env[ENV.unsubscribeSecretArn];
  const region = process.env.AWS_REGION;
  return secret && region ? secretsManagerKey(secret, region, defaultProvider()) : undefined;
}

export function awsMailSettings(): MailSettings | undefined {
  const from = process.env[ENV.mailFrom];
  const publicUrl = process.env[ENV.publicUrl];
  const region = process.env.AWS_REGION;
  const unsubscribeKey = awsUnsubscribeKey();
  if (!from || !publicUrl || !region || !unsubscribeKey) return undefined;
  return {
    mailer: new SesMailer({ region, credentials: defaultProvider(), from }),
    publicUrl,
    unsubscribeKey,
  };
}
