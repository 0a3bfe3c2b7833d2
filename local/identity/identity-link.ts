/**
 * The key of the local broker's link of a federated subject (provider + the IdP's `sub`, URI-encoded)
 * to the user id it signs in as — what Cognito keeps in its user pool in AWS, so no Lambda needs it and
 * it stays out of functions/data/keys.ts (every bundle carries that file). docs/data-model.md lists it.
 */
export const identityLinkKey = (providerName: string, subject: string) => ({
  PK: `IDLINK#${providerName}#${encodeURIComponent(subject)}`,
  SK: 'IDLINK',
});
