import { MailPreferenceService } from '../../domain/mail/preference-service';
import { ProfileService } from '../../domain/profiles/profile-service';
import { NotificationService } from '../../domain/subscriptions/notification-service';
import { SubscriptionService } from '../../domain/subscriptions/subscription-service';
import { mailPreferenceRoutes } from '../routes/mail-preferences';
import { notificationRoutes } from '../routes/notifications';
import { subscriptionRoutes } from '../routes/subscriptions';
import type { ApiModule } from './api-module';

/** Follows, watches and mutes, and the inbox the fan-out (functions/streams/fanout.ts) fills. */
export const notificationsModule: ApiModule = {
  name: 'notifications',
  description: 'Commonplace notifications: follows, watches, mutes, the inbox and e-mail preferences',
  routes: [subscriptionRoutes, notificationRoutes, mailPreferenceRoutes],
  services: ({ spaces }, ctx) => ({
    subscriptions: new SubscriptionService(ctx, spaces, new ProfileService(ctx)),
    notifications: new NotificationService(ctx, spaces),
    mailPreferences: new MailPreferenceService(ctx, ctx.unsubscribeKey),
  }),
};
