/**
 * Deployment settings, read from CDK context (`cdk.json`, or `-c key=value` on the command line) and
 * validated once, so that a typo in a partner's identity provider fails `npm run synth` with a message
 * naming the setting instead of failing a CloudFormation deployment twenty minutes later.
 */
import type { Node } from 'constructs';

/** How a partner organisation's users sign in: their own SAML 2.0 or OpenID Connect provider. */
export type PartnerIdentityProvider =
  | {
      type: 'saml';
      /** Where Cognito fetches the IdP's metadata document (https). Give this or `metadataFile`. */
      metadataUrl?: string;
      /** Path of the IdP metadata XML, relative to the repository root. */
      metadataFile?: string;
      /** SAML attribute names to read the e-mail address and display name from. */
      emailAttribute?: string;
      nameAttribute?: string;
    }
  | {
      type: 'oidc';
      issuerUrl: string;
      clientId: string;
      /** Name of a Secrets Manager secret holding the client secret as plain text (never in cdk.json). */
      clientSecretName: string;
      scopes?: string[];
    };

export interface PartnerConfig {
  /** The partner organisation id Commonplace knows (the `org` claim and the organisation record). */
  org: string;
  /** Cognito identity provider name; defaults to the organisation id. */
  providerName: string;
  /** E-mail domains that send users to this provider on the hosted UI (IdP discovery). */
  emailDomains: string[];
  idp: PartnerIdentityProvider;
}

/**
 * One of the company's own identity providers (Entra ID, Okta, Google Workspace; OIDC or SAML): its users
 * sign in as employees (the pre-token trigger reads the names from EMPLOYEE_IDENTITY_PROVIDERS).
 */
export interface EmployeeProviderConfig {
  /** Cognito identity provider name, e.g. `corp-entra`. */
  providerName: string;
  /** E-mail domains that send users to this provider on the hosted UI (IdP discovery); may be empty. */
  emailDomains: string[];
  idp: PartnerIdentityProvider;
}

export type SearchSize = 'small' | 'medium' | 'large';

export interface SearchCapacity {
  dataNodes: number;
  dataNodeInstanceType: string;
  /** Three dedicated cluster-manager nodes of this type, or none. */
  masterNodeInstanceType?: string;
  volumeSizeGiB: number;
  /** Spread data nodes over two availability zones (needs an even number of data nodes). */
  zoneAwareness: boolean;
}

/** Search capacity presets; `small` is a single node, enough for a company of a few hundred people. */
export const SEARCH_CAPACITY: Readonly<Record<SearchSize, SearchCapacity>> = Object.freeze({
  small: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', volumeSizeGiB: 10, zoneAwareness: false },
  medium: { dataNodes: 2, dataNodeInstanceType: 'm7g.large.search', volumeSizeGiB: 50, zoneAwareness: true },
  large: {
    dataNodes: 2,
    dataNodeInstanceType: 'r7g.large.search',
    masterNodeInstanceType: 'm7g.large.search',
    volumeSizeGiB: 200,
    zoneAwareness: true,
  },
});

export interface CommonplaceConfig {
  stackName: string;
  /** Hosted-UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`); unique per region. */
  cognitoDomainPrefix?: string;
  /** E-mail address subscribed to the alarm topic; alarms still go to the topic without one. */
  alarmEmail?: string;
  search: {
    size: SearchSize;
    capacity: SearchCapacity;
    /** IAM roles of operators who may reindex (`npm run reindex -- --aws`): mapped to the writer role. */
    operatorRoleArns: string[];
  };
  api: { rateLimit: number; burstLimit: number };
  /** The WAF web ACL in front of CloudFront (an edge stack in us-east-1). */
  waf: { enabled: boolean; ratePerIp: number; anonymousApiRatePerIp: number };
  partners: PartnerConfig[];
  /** The company's own identity providers for employees (none: employees are native user-pool users). */
  employeeProviders: EmployeeProviderConfig[];
  /** Serve the web app from this host name with this ACM certificate (us-east-1) instead of *.cloudfront.net. */
  customDomain?: { domainName: string; certificateArn: string };
  /**
   * The bookmark metadata fetcher's operator allow-list (functions/safe-fetch/): extra ports, and host
   * names that may resolve to private addresses. Set as SAFE_FETCH_ALLOWED_PORTS / _HOSTS on its Lambda.
   */
  safeFetch?: { allowedPorts: number[]; allowedHosts: string[] };
  /**
   * E-mail through SES: the sender (`Name <address>` or an address) and the ARN of its verified SES
   * identity (the address or its domain). Without both, mail is off in AWS (the stack says so).
   */
  mail?: { from: string; sesIdentityArn: string };
  /**
   * Attachments (lib/constructs/files.ts): the largest file and each space's quota in bytes (defaults
   * in the functions: 25 MiB and 10 GiB), and GuardDuty Malware Protection for S3 (off by default: it
   * costs per GB scanned and per object).
   */
  files: { maxBytes?: number; spaceQuotaBytes?: number; malwareScanning: boolean };
}

export const CONTEXT_KEYS = {
  stackName: 'commonplace:stackName',
  cognitoDomainPrefix: 'commonplace:cognitoDomainPrefix',
  alarmEmail: 'commonplace:alarmEmail',
  mailFrom: 'commonplace:mailFrom',
  sesIdentityArn: 'commonplace:sesIdentityArn',
  searchSize: 'commonplace:searchSize',
  searchOperatorRoleArns: 'commonplace:searchOperatorRoleArns',
  apiRateLimit: 'commonplace:apiRateLimit',
  apiBurstLimit: 'commonplace:apiBurstLimit',
  waf: 'commonplace:waf',
  wafRatePerIp: 'commonplace:wafRatePerIp',
  wafAnonymousApiRatePerIp: 'commonplace:wafAnonymousApiRatePerIp',
  partners: 'commonplace:partners',
  employeeIdentityProviders: 'commonplace:employeeIdentityProviders',
  domainName: 'commonplace:domainName',
  certificateArn: 'commonplace:certificateArn',
  fetchAllowedPorts: 'commonplace:fetchAllowedPorts',
  fetchAllowedHosts: 'commonplace:fetchAllowedHosts',
  attachmentMaxBytes: 'commonplace:attachmentMaxBytes',
  attachmentSpaceQuotaBytes: 'commonplace:attachmentSpaceQuotaBytes',
  malwareScanning: 'commonplace:malwareScanning',
} as const;

export class ConfigError extends Error {
  constructor(key: string, message: string) {
    super(`Invalid CDK context "${key}": ${message}`);
    this.name = 'ConfigError';
  }
}

const ORG_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
// Cognito provider names: 1-32 characters, no underscore (it separates provider and user in user names).
const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$/;
/** Entra ID's shared issuers, which stand for every tenant (or every personal account) at once. */
const MULTI_TENANT_ISSUER =
  /^https:\/\/login\.microsoftonline\.(com|us)\/(common|organizations|consumers|9188040d-6c67-4c5b-b112-36a304b66dad)(\/|$)/i;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Reads and validates the Commonplace settings from the construct tree's context. */
export function readConfig(node: Node): CommonplaceConfig {
  const get = (key: string): unknown => node.tryGetContext(key);

  const stackName = optionalString(get(CONTEXT_KEYS.stackName), CONTEXT_KEYS.stackName) ?? 'Commonplace';
  const cognitoDomainPrefix = optionalString(
    get(CONTEXT_KEYS.cognitoDomainPrefix),
    CONTEXT_KEYS.cognitoDomainPrefix,
  );
  if (
    cognitoDomainPrefix !== undefined &&
    (!DOMAIN_PREFIX.test(cognitoDomainPrefix) || /aws|amazon|cognito/.test(cognitoDomainPrefix))
  ) {
    throw new ConfigError(
      CONTEXT_KEYS.cognitoDomainPrefix,
      'use lower-case letters, digits and hyphens, and not the words aws, amazon or cognito',
    );
  }
  const alarmEmail = optionalString(get(CONTEXT_KEYS.alarmEmail), CONTEXT_KEYS.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new ConfigError(CONTEXT_KEYS.alarmEmail, `"${alarmEmail}" is not an e-mail address`);
  }

  const size = (optionalString(get(CONTEXT_KEYS.searchSize), CONTEXT_KEYS.searchSize) ??
    'small') as SearchSize;
  if (!(size in SEARCH_CAPACITY)) {
    throw new ConfigError(
      CONTEXT_KEYS.searchSize,
      `expected one of ${Object.keys(SEARCH_CAPACITY).join(', ')}`,
    );
  }

  const domainName = optionalString(get(CONTEXT_KEYS.domainName), CONTEXT_KEYS.domainName);
  const certificateArn = optionalString(get(CONTEXT_KEYS.certificateArn), CONTEXT_KEYS.certificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new ConfigError(
      CONTEXT_KEYS.domainName,
      `set both ${CONTEXT_KEYS.domainName} and ${CONTEXT_KEYS.certificateArn}, or neither`,
    );
  }
  if (
    certificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)
  ) {
    throw new ConfigError(
      CONTEXT_KEYS.certificateArn,
      'expected an ACM certificate ARN in us-east-1 (CloudFront requires it there)',
    );
  }

  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ConfigError(
      CONTEXT_KEYS.stackName,
      'expected letters, digits and hyphens, starting with a letter',
    );
  }

  return {
    stackName,
    customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
    cognitoDomainPrefix,
    alarmEmail,
    search: {
      size,
      capacity: SEARCH_CAPACITY[size],
      operatorRoleArns: readRoleArns(get(CONTEXT_KEYS.searchOperatorRoleArns)),
    },
    api: {
      rateLimit: positiveNumber(get(CONTEXT_KEYS.apiRateLimit), CONTEXT_KEYS.apiRateLimit, 100),
      burstLimit: positiveNumber(get(CONTEXT_KEYS.apiBurstLimit), CONTEXT_KEYS.apiBurstLimit, 200),
    },
    waf: {
      enabled: readBoolean(get(CONTEXT_KEYS.waf), CONTEXT_KEYS.waf, true),
      ratePerIp: rateLimit(get(CONTEXT_KEYS.wafRatePerIp), CONTEXT_KEYS.wafRatePerIp, 10_000),
      anonymousApiRatePerIp: rateLimit(
        get(CONTEXT_KEYS.wafAnonymousApiRatePerIp),
        CONTEXT_KEYS.wafAnonymousApiRatePerIp,
        300,
      ),
    },
    ...readProviders(get(CONTEXT_KEYS.partners), get(CONTEXT_KEYS.employeeIdentityProviders)),
    safeFetch: readFetchAllowList(get(CONTEXT_KEYS.fetchAllowedPorts), get(CONTEXT_KEYS.fetchAllowedHosts)),
    mail: readMail(get(CONTEXT_KEYS.mailFrom), get(CONTEXT_KEYS.sesIdentityArn)),
    files: {
      maxBytes: optionalBytes(get(CONTEXT_KEYS.attachmentMaxBytes), CONTEXT_KEYS.attachmentMaxBytes),
      spaceQuotaBytes: optionalBytes(
        get(CONTEXT_KEYS.attachmentSpaceQuotaBytes),
        CONTEXT_KEYS.attachmentSpaceQuotaBytes,
      ),
      malwareScanning: readBoolean(get(CONTEXT_KEYS.malwareScanning), CONTEXT_KEYS.malwareScanning, false),
    },
  };
}

function readMail(fromValue: unknown, arnValue: unknown): CommonplaceConfig['mail'] {
  const from = optionalString(fromValue, CONTEXT_KEYS.mailFrom);
  const sesIdentityArn = optionalString(arnValue, CONTEXT_KEYS.sesIdentityArn);
  if (from === undefined && sesIdentityArn === undefined) return undefined;
  if (from === undefined || sesIdentityArn === undefined)
    throw new ConfigError(
      CONTEXT_KEYS.mailFrom,
      `set both ${CONTEXT_KEYS.mailFrom} and ${CONTEXT_KEYS.sesIdentityArn}, or neither (mail off)`,
    );
  if (!/^([^<>]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$/.test(from))
    throw new ConfigError(CONTEXT_KEYS.mailFrom, `"${from}" is not an address (or "Name <address>")`);
  if (!/^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s]+$/.test(sesIdentityArn))
    throw new ConfigError(
      CONTEXT_KEYS.sesIdentityArn,
      'expected an SES identity ARN, arn:aws:ses:<region>:<account>:identity/<address or domain>',
    );
  return { from, sesIdentityArn };
}

/** A whole number of bytes, or undefined (the functions' default). */
function optionalBytes(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = positiveNumber(value, key, 0);
  if (!Number.isInteger(n)) throw new ConfigError(key, 'expected a whole number of bytes');
  return n;
}

function readBoolean(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(key, 'expected true or false');
}

/** A WAF rate-based limit: requests per IP address in 5 minutes, 10 to 2 billion. */
function rateLimit(value: unknown, key: string, fallback: number): number {
  const n = positiveNumber(value, key, fallback);
  if (!Number.isInteger(n) || n < 10 || n > 2_000_000_000)
    throw new ConfigError(key, 'expected a whole number of requests from 10 to 2000000000');
  return n;
}

/** Comma-separated strings or lists; undefined when both are empty (the default: 80/443, public only). */
function readFetchAllowList(ports: unknown, hosts: unknown): CommonplaceConfig['safeFetch'] {
  const list = (raw: unknown, key: string): string[] => {
    if (raw === undefined || raw === null || raw === '') return [];
    const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw.map(String) : undefined;
    if (!items) throw new ConfigError(key, 'expected a comma-separated string or a list');
    return items.map((item) => item.trim()).filter(Boolean);
  };
  const allowedPorts = list(ports, CONTEXT_KEYS.fetchAllowedPorts).map((entry) => {
    const port = Number(entry);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ConfigError(CONTEXT_KEYS.fetchAllowedPorts, `"${entry}" is not a port`);
    return port;
  });
  const allowedHosts = list(hosts, CONTEXT_KEYS.fetchAllowedHosts);
  for (const host of allowedHosts)
    if (!/^\.?[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i.test(host))
      throw new ConfigError(CONTEXT_KEYS.fetchAllowedHosts, `"${host}" is not a host name or .domain suffix`);
  return allowedPorts.length || allowedHosts.length ? { allowedPorts, allowedHosts } : undefined;
}

function readRoleArns(raw: unknown): string[] {
  const key = CONTEXT_KEYS.searchOperatorRoleArns;
  if (raw === undefined || raw === null || raw === '') return [];
  const list =
    typeof raw === 'string' ? (raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',')) : raw;
  if (!Array.isArray(list)) throw new ConfigError(key, 'expected a list of IAM role ARNs');
  return list.map((arn: unknown) => {
    const value = typeof arn === 'string' ? arn.trim() : arn;
    if (typeof value !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)) {
      throw new ConfigError(key, `"${String(arn)}" is not an IAM role ARN`);
    }
    return value;
  });
}

function readProviders(
  partnersRaw: unknown,
  employeesRaw: unknown,
): { partners: PartnerConfig[]; employeeProviders: EmployeeProviderConfig[] } {
  const partners = readPartners(partnersRaw);
  const employeeProviders = readEmployeeProviders(employeesRaw);
  // One Cognito pool: a provider name is either a partner's or the company's, never both.
  const partnerNames = new Set(partners.map((p) => p.providerName.toLowerCase()));
  for (const provider of employeeProviders) {
    if (partnerNames.has(provider.providerName.toLowerCase()))
      throw new ConfigError(
        CONTEXT_KEYS.employeeIdentityProviders,
        `providerName "${provider.providerName}" is also a partner's provider`,
      );
  }
  return { partners, employeeProviders };
}

function readEmployeeProviders(raw: unknown): EmployeeProviderConfig[] {
  const key = CONTEXT_KEYS.employeeIdentityProviders;
  const list = typeof raw === 'string' ? (raw.trim() ? (JSON.parse(raw) as unknown) : []) : (raw ?? []);
  if (!Array.isArray(list)) throw new ConfigError(key, 'expected a list of identity providers');
  const providers = list.map((entry: unknown, i): EmployeeProviderConfig => {
    const where = `${key}[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new ConfigError(where, 'expected an object');
    const p = entry as Record<string, unknown>;
    const providerName = p.providerName;
    if (typeof providerName !== 'string' || !PROVIDER_NAME.test(providerName)) {
      throw new ConfigError(
        `${where}.providerName`,
        'expected 1-32 letters, digits, dots or hyphens (no underscore)',
      );
    }
    const emailDomains = p.emailDomains ?? [];
    if (
      !Array.isArray(emailDomains) ||
      !emailDomains.every((d) => typeof d === 'string' && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d))
    ) {
      throw new ConfigError(`${where}.emailDomains`, 'expected a list of domain names');
    }
    return { providerName, emailDomains: emailDomains as string[], idp: readIdp(p, where) };
  });
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.providerName.toLowerCase()))
      throw new ConfigError(key, `providerName "${provider.providerName}" appears twice`);
    seen.add(provider.providerName.toLowerCase());
  }
  return providers;
}

function readPartners(raw: unknown): PartnerConfig[] {
  const key = CONTEXT_KEYS.partners;
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : (raw ?? []);
  if (!Array.isArray(list)) throw new ConfigError(key, 'expected a list of partner organisations');

  const partners = list.map((entry: unknown, i): PartnerConfig => {
    const where = `${key}[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new ConfigError(where, 'expected an object');
    const p = entry as Record<string, unknown>;
    const org = p.org;
    if (typeof org !== 'string' || !ORG_ID.test(org)) {
      throw new ConfigError(
        `${where}.org`,
        'expected an organisation id of lower-case letters, digits and hyphens',
      );
    }
    const providerName = p.providerName ?? org;
    if (typeof providerName !== 'string' || !PROVIDER_NAME.test(providerName)) {
      throw new ConfigError(
        `${where}.providerName`,
        'expected 1-32 letters, digits, dots or hyphens (no underscore)',
      );
    }
    const emailDomains = p.emailDomains ?? [];
    if (
      !Array.isArray(emailDomains) ||
      !emailDomains.every((d) => typeof d === 'string' && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d))
    ) {
      throw new ConfigError(`${where}.emailDomains`, 'expected a list of domain names');
    }
    const idp = readIdp(p, where);
    if (emailDomains.length === 0) {
      // The trigger refuses partner e-mails outside these: without them nobody of the partner gets in.
      throw new ConfigError(
        `${where}.emailDomains`,
        "list the organisation's e-mail domains (its users' addresses must be in one of them)",
      );
    }
    return { org, providerName, emailDomains: emailDomains as string[], idp };
  });

  for (const field of ['org', 'providerName'] as const) {
    const seen = new Set<string>();
    for (const partner of partners) {
      if (seen.has(partner[field].toLowerCase()))
        throw new ConfigError(key, `${field} "${partner[field]}" appears twice`);
      seen.add(partner[field].toLowerCase());
    }
  }
  return partners;
}

function readIdp(p: Record<string, unknown>, where: string): PartnerIdentityProvider {
  const hasSaml = p.saml !== undefined;
  const hasOidc = p.oidc !== undefined;
  if (hasSaml === hasOidc) throw new ConfigError(where, 'give exactly one of "saml" or "oidc"');

  if (hasSaml) {
    const saml = p.saml as Record<string, unknown>;
    const metadataUrl = optionalString(saml.metadataUrl, `${where}.saml.metadataUrl`);
    const metadataFile = optionalString(saml.metadataFile, `${where}.saml.metadataFile`);
    if ((metadataUrl === undefined) === (metadataFile === undefined)) {
      throw new ConfigError(`${where}.saml`, 'give exactly one of "metadataUrl" or "metadataFile"');
    }
    if (metadataUrl !== undefined && !metadataUrl.startsWith('https://')) {
      throw new ConfigError(`${where}.saml.metadataUrl`, 'must be an https:// URL');
    }
    return {
      type: 'saml',
      metadataUrl,
      metadataFile,
      emailAttribute: optionalString(saml.emailAttribute, `${where}.saml.emailAttribute`),
      nameAttribute: optionalString(saml.nameAttribute, `${where}.saml.nameAttribute`),
    };
  }

  const oidc = p.oidc as Record<string, unknown>;
  const issuerUrl = oidc.issuerUrl;
  if (typeof issuerUrl !== 'string' || !issuerUrl.startsWith('https://')) {
    throw new ConfigError(`${where}.oidc.issuerUrl`, 'must be an https:// URL');
  }
  if (MULTI_TENANT_ISSUER.test(issuerUrl)) {
    throw new ConfigError(
      `${where}.oidc.issuerUrl`,
      "a multi-tenant issuer (common, organizations, consumers) would admit any Microsoft account as this partner: use the partner's own tenant, https://login.microsoftonline.com/<tenant id>/v2.0",
    );
  }
  const clientId = oidc.clientId;
  if (typeof clientId !== 'string' || clientId === '')
    throw new ConfigError(`${where}.oidc.clientId`, 'is required');
  const clientSecretName = oidc.clientSecretName;
  if (typeof clientSecretName !== 'string' || clientSecretName === '') {
    throw new ConfigError(
      `${where}.oidc.clientSecretName`,
      'is required: the name of a Secrets Manager secret',
    );
  }
  if ('clientSecret' in oidc) {
    throw new ConfigError(
      `${where}.oidc.clientSecret`,
      'never put the secret in cdk.json; store it in Secrets Manager',
    );
  }
  const scopes = oidc.scopes ?? ['openid', 'email', 'profile'];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new ConfigError(`${where}.oidc.scopes`, 'expected a list of scope names');
  }
  return { type: 'oidc', issuerUrl, clientId, clientSecretName, scopes: scopes as string[] };
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(key, 'expected a string');
  return value;
}

function positiveNumber(value: unknown, key: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0)
    throw new ConfigError(key, 'expected a positive number');
  return n;
}
