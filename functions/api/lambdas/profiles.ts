/** Lambda entry of the profiles module (routes in functions/api/modules/profiles.ts). */
import { profilesModule } from '../modules/profiles';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(profilesModule);
