/**
 * CloudFormation custom resource: writes the OpenSearch fine-grained access control roles and maps
 * each to the IAM roles of the Lambdas allowed to use it. This function's own role is the domain's
 * master user, so it is the one identity that can change the security configuration; the Lambdas get
 * only the index permissions of their role (the API reads, the indexer writes).
 *
 * Invoked by CloudFormation directly (no provider framework), so it reports its own result to the
 * pre-signed ResponseURL. Create and Update are idempotent PUTs; Delete leaves the roles in place (the
 * domain is going away, or the roles are harmless without mappings).
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { signRequest } from './sign-request';

export interface SearchRole {
  name: string;
  clusterPermissions: string[];
  indexPermissions: { index_patterns: string[]; allowed_actions: string[] }[];
  /** IAM role ARNs mapped to this role. */
  backendRoles: string[];
}

export interface SecurityConfigProperties {
  /** Domain endpoint host name (no scheme). */
  Endpoint: string;
  Roles: SearchRole[];
}

/** Network, clock and log, injectable for tests. */
export interface Io {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (line: Record<string, unknown>) => void;
}

const defaultIo: Io = {
  fetch: (...args) => fetch(...args),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  log: (line) => console.log(JSON.stringify(line)),
};

/** Sends one signed request to the domain, retrying while the security plugin is still starting. */
async function callDomain(
  io: Io,
  endpoint: string,
  method: 'PUT' | 'GET',
  path: string,
  body: unknown,
  deadline: number,
): Promise<void> {
  const region = process.env.AWS_REGION ?? '';
  const text = body === undefined ? undefined : JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    const headers = signRequest(
      { method, host: endpoint, path, headers: { 'content-type': 'application/json' }, body: text },
      {
        region,
        service: 'es',
        credentials: {
          accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
          secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
          sessionToken: process.env.AWS_SESSION_TOKEN,
        },
      },
    );
    let status = 0;
    let detail = '';
    try {
      const response = await io.fetch(`https://${endpoint}${path}`, { method, headers, body: text });
      status = response.status;
      detail = (await response.text()).slice(0, 500);
      if (response.ok) return;
    } catch (error) {
      detail = (error as Error).message;
    }
    // 401/403 right after creation: the master user mapping is not active yet. 5xx: starting up.
    const retryable = status === 0 || status === 401 || status === 403 || status === 429 || status >= 500;
    const wait = Math.min(30_000, 2_000 * 2 ** (attempt - 1));
    if (!retryable || io.now() + wait > deadline) {
      throw new Error(`${method} ${path} failed with ${status || 'a network error'}: ${detail}`);
    }
    await io.sleep(wait);
  }
}

/**
 * Audit logging of the security plugin (published to CloudWatch by the domain's AUDIT_LOGS option):
 * failed logins, missing privileges, bad headers and TLS errors over REST. Successful authentications
 * and granted privileges are left out: they are every request, and would cost more than they tell.
 */
export const AUDIT_CONFIG = {
  enabled: true,
  audit: {
    enable_rest: true,
    enable_transport: false,
    disabled_rest_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'],
    disabled_transport_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'],
    ignore_users: [],
    ignore_requests: [],
    log_request_body: false,
    resolve_indices: true,
    resolve_bulk_requests: false,
    exclude_sensitive_headers: true,
  },
  compliance: {
    enabled: false,
    internal_config: false,
    external_config: false,
    read_metadata_only: true,
    read_watched_fields: {},
    read_ignore_users: [],
    write_metadata_only: true,
    write_log_diffs: false,
    write_watched_indices: [],
    write_ignore_users: [],
  },
} as const;

/** Applies every role and its mapping, then the audit configuration. */
export async function applySecurityConfig(
  props: SecurityConfigProperties,
  io: Io,
  deadline: number,
): Promise<void> {
  for (const role of props.Roles) {
    const name = encodeURIComponent(role.name);
    await callDomain(
      io,
      props.Endpoint,
      'PUT',
      `/_plugins/_security/api/roles/${name}`,
      {
        cluster_permissions: role.clusterPermissions,
        index_permissions: role.indexPermissions,
      },
      deadline,
    );
    await callDomain(
      io,
      props.Endpoint,
      'PUT',
      `/_plugins/_security/api/rolesmapping/${name}`,
      {
        backend_roles: role.backendRoles,
      },
      deadline,
    );
  }
  await callDomain(io, props.Endpoint, 'PUT', '/_plugins/_security/api/audit/config', AUDIT_CONFIG, deadline);
}

export async function handleEvent(
  event: CloudFormationCustomResourceEvent,
  context: Pick<Context, 'logStreamName' | 'getRemainingTimeInMillis'>,
  io: Io = defaultIo,
): Promise<void> {
  const props = event.ResourceProperties as unknown as SecurityConfigProperties;
  const physicalId = `${props.Endpoint}/security-config`;
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'Applied';
  try {
    if (event.RequestType !== 'Delete') {
      // Leave ten seconds to report the result, whatever happens.
      await applySecurityConfig(props, io, io.now() + context.getRemainingTimeInMillis() - 10_000);
    }
  } catch (error) {
    status = 'FAILED';
    reason = `${(error as Error).message} (log stream ${context.logStreamName})`;
  }
  io.log({ level: status === 'SUCCESS' ? 'INFO' : 'ERROR', requestType: event.RequestType, status, reason });

  const response = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 3000),
    PhysicalResourceId: event.RequestType === 'Create' ? physicalId : event.PhysicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // The pre-signed URL was signed without a content type: send none.
  await io.fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body: response });
}

export const handler = (event: CloudFormationCustomResourceEvent, context: Context) =>
  handleEvent(event, context);
