import { DirectoryService } from '../../domain/people/directory-service';
import { lazyPeopleImport } from '../../domain/people/lazy-people-import';
import { ReportingService } from '../../domain/people/reporting-service';
import { EndorsementService } from '../../domain/profiles/endorsements';
import { MentionCandidates } from '../../domain/profiles/mention-candidates';
import { ProfileService } from '../../domain/profiles/profile-service';
import { TopicPreferences } from '../../domain/profiles/topic-preferences';
import { PEOPLE_IMPORT_BODY_LIMIT, PEOPLE_IMPORT_PATH } from '../routes/import-limits';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

export const profilesModule: ApiModule = {
  name: 'profiles',
  description:
    'Commonplace profiles: the signed-in person, people, skills, endorsements, the directory and reporting lines',
  // The directory first: its literal paths (/people/suggest, /people/import) before /people/{userId}.
  routes: [
    { name: 'directory', load: async () => (await import('../routes/directory')).directoryRoutes },
    { name: 'people', load: async () => (await import('../routes/people')).peopleRoutes },
    { name: 'endorsements', load: async () => (await import('../routes/endorsements')).endorsementRoutes },
  ],
  manifest: manifests.profiles,
  bodyLimits: { [PEOPLE_IMPORT_PATH]: PEOPLE_IMPORT_BODY_LIMIT },
  services: (core, ctx) => {
    const reporting = new ReportingService(ctx);
    return {
      profiles: new ProfileService(ctx),
      endorsements: new EndorsementService(ctx),
      topicPreferences: new TopicPreferences(ctx),
      mentions: new MentionCandidates(ctx, core.spaces),
      directory: new DirectoryService(ctx),
      reporting,
      peopleImport: lazyPeopleImport(ctx, reporting, ctx.signInAccounts),
    };
  },
};
