/**
 * SCIM discovery (RFC 7644 §4, RFC 7643 §5–7): what this service provider supports, truthfully — what
 * Entra ID and Okta read before provisioning. PATCH yes; bulk, sort, password change no; filter yes
 * (`userName eq`, `externalId eq`, `emails[type eq "work"].value eq`; at most MAX_RESULTS a page);
 * ETags yes (`meta.version`, `If-Match`); only the User resource, with the attributes Commonplace keeps.
 */
import { SCIM_ENTERPRISE, SCIM_LIST, SCIM_USER } from '../domain/people/scim-service';

export const SCIM_SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCIM_RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCIM_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** The most resources a list answers at once (`count` above it is cut to it). */
export const MAX_RESULTS = 200;

const meta = (baseUrl: string, resourceType: string, path: string) => ({
  resourceType,
  location: `${baseUrl}${path}`,
});

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SCIM_SERVICE_PROVIDER_CONFIG],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'The provisioning client’s bearer token (npm run scim-token locally; a secret in AWS)',
        primary: true,
      },
    ],
    meta: meta(baseUrl, 'ServiceProviderConfig', '/ServiceProviderConfig'),
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [SCIM_RESOURCE_TYPE],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'An employee of the company (partners sign in through their organisation, not SCIM)',
    schema: SCIM_USER,
    schemaExtensions: [{ schema: SCIM_ENTERPRISE, required: false }],
    meta: meta(baseUrl, 'ResourceType', '/ResourceTypes/User'),
  };
}

interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference';
  multiValued?: boolean;
  required?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  uniqueness?: 'none' | 'server';
  description: string;
  subAttributes?: Attribute[];
  referenceTypes?: string[];
}

/** An attribute in RFC 7643 §7's form, with its defaults spelled out (clients read them literally). */
function attribute(a: Attribute): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description,
    required: a.required ?? false,
    caseExact: false,
    mutability: a.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
  };
}

const text = (name: string, description: string, extra: Partial<Attribute> = {}): Attribute => ({
  name,
  type: 'string',
  description,
  ...extra,
});

const USER_ATTRIBUTES: Attribute[] = [
  text('userName', 'The work e-mail address; unique; names the person everywhere (case-insensitive)', {
    required: true,
    uniqueness: 'server',
  }),
  {
    name: 'name',
    type: 'complex',
    description: 'The person’s name (kept as one display name)',
    subAttributes: [
      text('formatted', 'The full name'),
      text('givenName', 'Given name'),
      text('familyName', 'Family name'),
    ],
  },
  text('displayName', 'The name shown everywhere'),
  text('title', 'Job title'),
  text('externalId', 'The provisioning client’s own id of the person'),
  { name: 'active', type: 'boolean', description: 'false: cannot sign in; their content stays' },
  {
    name: 'emails',
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    description: 'The work address (the same as userName)',
    subAttributes: [
      text('value', 'Address'),
      text('type', '"work"'),
      { name: 'primary', type: 'boolean', description: 'Always true' },
    ],
  },
  {
    name: 'phoneNumbers',
    type: 'complex',
    multiValued: true,
    description: 'The first is kept, as the work phone',
    subAttributes: [text('value', 'Number'), text('type', '"work"')],
  },
];

const ENTERPRISE_ATTRIBUTES: Attribute[] = [
  text('department', 'Department (a directory filter)'),
  {
    name: 'manager',
    type: 'complex',
    description: 'The person’s manager (their id here): sets the reporting line; a cycle is refused',
    subAttributes: [
      { name: 'value', type: 'string', description: 'The manager’s id' },
      {
        name: '$ref',
        type: 'reference',
        referenceTypes: ['User'],
        mutability: 'readOnly',
        description: 'The manager’s URI',
      },
    ],
  },
];

export function schemas(baseUrl: string) {
  const schema = (id: string, name: string, description: string, attributes: Attribute[]) => ({
    schemas: [SCIM_SCHEMA],
    id,
    name,
    description,
    attributes: attributes.map(attribute),
    meta: meta(baseUrl, 'Schema', `/Schemas/${id}`),
  });
  return [
    schema(SCIM_USER, 'User', 'An employee', USER_ATTRIBUTES),
    schema(SCIM_ENTERPRISE, 'EnterpriseUser', 'Department and manager', ENTERPRISE_ATTRIBUTES),
  ];
}

/** A list response of resources that are all shown at once (discovery). */
export function listOf<T>(resources: T[]) {
  return {
    schemas: [SCIM_LIST],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
