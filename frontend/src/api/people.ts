/** Types and calls of the people directory, the org chart and the HR import (functions/api/routes/directory.ts). */
import type { z } from '@hono/zod-openapi';
import type {
  ChartPerson as ChartPersonSchema,
  DirectoryPerson as DirectoryPersonSchema,
  ImportStepView,
  OrgChart as OrgChartSchema,
} from '../../../functions/api/schemas/directory';

export type DirectoryPerson = z.output<typeof DirectoryPersonSchema>;
export type ChartPerson = z.output<typeof ChartPersonSchema>;
export type OrgChart = z.output<typeof OrgChartSchema>;
export type ImportStep = z.output<typeof ImportStepView>;

export const peopleKeys = {
  directory: (filters: Record<string, string>) => ['people-directory', filters] as const,
  suggest: (q: string) => ['people-suggest', q] as const,
  chart: (userId: string) => ['org-chart', userId] as const,
  reports: (userId: string) => ['org-reports', userId] as const,
};
