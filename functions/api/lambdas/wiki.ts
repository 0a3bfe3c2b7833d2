/** Lambda entry of the wiki module (routes in functions/api/modules/wiki.ts). */
import { wikiModule } from '../modules/wiki';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(wikiModule);
