import { EndorsementService } from '../../domain/profiles/endorsements';
import { MentionCandidates } from '../../domain/profiles/mention-candidates';
import { ProfileService } from '../../domain/profiles/profile-service';
import { TopicPreferences } from '../../domain/profiles/topic-preferences';
import { endorsementRoutes } from '../routes/endorsements';
import { peopleRoutes } from '../routes/people';
import type { ApiModule } from './api-module';

export const profilesModule: ApiModule = {
  name: 'profiles',
  description: 'Commonplace profiles: the signed-in person, people and skills',
  routes: [peopleRoutes, endorsementRoutes],
  services: (core, ctx) => ({
    profiles: new ProfileService(ctx),
    endorsements: new EndorsementService(ctx),
    topicPreferences: new TopicPreferences(ctx),
    mentions: new MentionCandidates(ctx, core.spaces),
  }),
};
