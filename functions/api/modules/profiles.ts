import { ProfileService } from '../../domain/profiles/profile-service';
import { peopleRoutes } from '../routes/people';
import type { ApiModule } from './api-module';

export const profilesModule: ApiModule = {
  name: 'profiles',
  description: 'Commonplace profiles: the signed-in person, people and skills',
  routes: [peopleRoutes],
  services: (_core, ctx) => ({ profiles: new ProfileService(ctx) }),
};
