/** Client routes of the wiki. */
export const pagePath = (spaceId: string, pageId: string) =>
  `/spaces/${encodeURIComponent(spaceId)}/pages/${encodeURIComponent(pageId)}`;

export const wikiPath = (spaceId: string) => `/spaces/${encodeURIComponent(spaceId)}/pages`;
