/** Lambda entry of the spaces module (routes in functions/api/modules/spaces.ts). */
import { spacesModule } from '../modules/spaces';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(spacesModule);
