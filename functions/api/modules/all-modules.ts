/**
 * Every module of the HTTP API. The local runtime serves them all on one port, the CDK stack makes one
 * Lambda of each and routes each of its paths to it, the OpenAPI document describes them all. A Lambda
 * entry imports its own module only, never this list, so its bundle carries only its routes.
 */
import type { ApiModule } from './api-module';
import { attachmentsModule } from './attachments';
import { bookmarksModule } from './bookmarks';
import { notificationsModule } from './notifications';
import { postsModule } from './posts';
import { profilesModule } from './profiles';
import { searchModule } from './search';
import { spacesModule } from './spaces';
import { wikiModule } from './wiki';

export const ALL_MODULES: readonly ApiModule[] = [
  spacesModule,
  postsModule,
  wikiModule,
  bookmarksModule,
  profilesModule,
  searchModule,
  notificationsModule,
  attachmentsModule,
];
