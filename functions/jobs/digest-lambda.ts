/**
 * Lambda entry of the e-mail digest job, invoked hourly by EventBridge Scheduler: it sends the hourly
 * digests of the hour that ended and, once a day, the daily ones (domain/mail/digest-job.ts). Running
 * it twice sends nothing twice. A person whose send failed is counted and retried on the next run; the
 * invocation fails (and the errors alarm counts it) only when the job itself could not run.
 */
import middy from '@middy/core';
import { runDigests } from '../domain/mail/digest-job';
import { awsMailSettings } from '../mail/aws-mail';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { logger } from '../platform/logger';

const { table, clock } = awsCoreDependencies();
const mail = awsMailSettings();

export const handler = middy().handler(async () => {
  if (!mail) {
    logger.warn('digest job: mail is off (no MAIL_FROM); nothing sent');
    return { outcomes: [] };
  }
  const outcomes = await runDigests(table, mail, clock.now());
  logger.info('digest job done', { outcomes });
  return { outcomes };
});
