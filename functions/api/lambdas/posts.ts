/** Lambda entry of the posts module (routes in functions/api/modules/posts.ts). */
import { postsModule } from '../modules/posts';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(postsModule);
