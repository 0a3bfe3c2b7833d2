/** The one Powertools logger: structured JSON lines with the service name and, per request, its id. */
import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from './environment';

export const logger = new Logger({
  serviceName: process.env[ENV.serviceName] ?? 'commonplace',
  logLevel: (process.env[ENV.logLevel] as 'INFO' | undefined) ?? 'INFO',
});
