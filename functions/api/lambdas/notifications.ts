/** Lambda entry of the notifications module (routes in functions/api/modules/notifications.ts). */
import { awsUnsubscribeKey } from '../../mail/aws-mail';
import { notificationsModule } from '../modules/notifications';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(notificationsModule, { unsubscribeKey: awsUnsubscribeKey() });
