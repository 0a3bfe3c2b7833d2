import { MailPreferenceService } from '../../domain/mail/preference-service';
import { ProfileService } from '../../domain/profiles/profile-service';
import { NotificationService } from '../../domain/subscriptions/notification-service';
import { SubscriptionService } from '../../domain/subscriptions/subscription-service';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

/** Follows, watches and mutes, and the inbox the fan-out (functions/streams/fanout.ts) fills. */
export const notificationsModule: ApiModule = {
  name: 'notifications',
  description: 'Commonplace notifications: follows, watches, mutes, the inbox and e-mail preferences',
  routes: [
    { name: 'subscriptions', load: async () => (await import('../routes/subscriptions')).subscriptionRoutes },
    { name: 'notifications', load: async () => (await import('../routes/notifications')).notificationRoutes },
    {
      name: 'mail-preferences',
      load: async () => (await import('../routes/mail-preferences')).mailPreferenceRoutes,
    },
  ],
  manifest: manifests.notifications,
  services: ({ spaces }, ctx) => ({
    subscriptions: new SubscriptionService(ctx, spaces, new ProfileService(ctx)),
    notifications: new NotificationService(ctx, spaces),
    mailPreferences: new MailPreferenceService(ctx, ctx.unsubscribeKey),
  }),
};
