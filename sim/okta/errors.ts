/** Okta-shaped errors. Thrown by the org model and the routes; the server turns them into responses. */
import { HttpError } from '../http/reply';
import { errorId } from './ids';
import type { OktaErrorBody } from './types';

export class OktaError extends HttpError {
  constructor(
    status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly errorCauses: string[] = [],
  ) {
    // The causes too: a thrown OktaError (the simulator's own API) should say what was wrong.
    super(status, `${status} ${errorCode} ${errorSummary}${errorCauses.length > 0 ? ` (${errorCauses.join('; ')})` : ''}`);
    this.name = 'OktaError';
  }

  override body(): OktaErrorBody {
    return {
      errorCode: this.errorCode,
      errorSummary: this.errorSummary,
      errorLink: this.errorCode,
      errorId: errorId(),
      errorCauses: this.errorCauses.map((errorSummary) => ({ errorSummary })),
    };
  }
}

/** `type` is Okta's resource name in the message: AppInstance, User, AppUser, ... */
export function notFound(id: string, type: string): OktaError {
  return new OktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);
}

export function invalidToken(): OktaError {
  return new OktaError(401, 'E0000011', 'Invalid token provided');
}

export function rateLimited(): OktaError {
  return new OktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
}

export function invalidSearch(cause: string): OktaError {
  return new OktaError(400, 'E0000031', 'Invalid search criteria.', [cause]);
}

export function validationFailed(what: string, cause: string): OktaError {
  return new OktaError(400, 'E0000001', `Api validation failed: ${what}`, [cause]);
}

export function malformedBody(): OktaError {
  return new OktaError(400, 'E0000003', 'The request body was not well-formed.');
}

export function methodNotAllowed(): OktaError {
  return new OktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
}

/** The bodies Okta answers server-side failures with (used by fault injection). */
export function serverFault(status: 500 | 502 | 503): OktaError {
  if (status === 500) return new OktaError(500, 'E0000009', 'Internal Server Error');
  if (status === 502) return new OktaError(502, 'E0000009', 'Bad Gateway');
  return new OktaError(503, 'E0000010', 'Service is in read only mode');
}
