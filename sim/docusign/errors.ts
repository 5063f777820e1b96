/**
 * DocuSign's two error dialects: the eSignature REST API answers `{ errorCode, message }`, the
 * account server (OAuth) answers `{ error, error_description }`. Codes and messages are DocuSign's
 * where known; the few guesses are marked.
 */
import { HttpError } from '../http/reply';

export class RestError extends HttpError {
  constructor(
    status: number,
    readonly errorCode: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }

  override body(): { errorCode: string; message: string } {
    return { errorCode: this.errorCode, message: this.message };
  }
}

export class OAuthError extends HttpError {
  constructor(
    status: number,
    readonly error: string,
    readonly description?: string,
  ) {
    super(status, description ? `${error}: ${description}` : error);
  }

  override body(): { error: string; error_description?: string } {
    return this.description === undefined ? { error: this.error } : { error: this.error, error_description: this.description };
  }
}

export const invalidToken = (): RestError =>
  new RestError(401, 'AUTHORIZATION_INVALID_TOKEN', 'The access token provided is expired, revoked or malformed. Authentication for System Application failed.');

/** DocuSign answers 400 (not 403) when the token's user is no active member of the account in the path. */
export const lacksMembership = (): RestError => new RestError(400, 'USER_LACKS_MEMBERSHIP', 'The UserID does not have a valid membership in this Account.');

export const lacksPermissions = (): RestError => new RestError(401, 'USER_LACKS_PERMISSIONS', 'This user lacks sufficient permissions to access this resource.');

export const invalidRequestBody = (): RestError => new RestError(400, 'INVALID_REQUEST_BODY', 'The request body is missing or improperly formatted.');

export const resourceNotFound = (hint?: string): RestError => new RestError(404, 'RESOURCE_NOT_FOUND', `The URL provided does not resolve to a resource.${hint ? ` ${hint}` : ''}`);

export const hourlyLimitExceeded = (limit: number, headers: Record<string, string>, status = 429): RestError =>
  new RestError(status, 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', `The maximum number of hourly API invocations has been exceeded. The hourly limit is ${limit}.`, headers);

/** Burst code as DocuSign documents it; the message wording is a guess. */
export const burstLimitExceeded = (limit: number, headers: Record<string, string>, status = 429): RestError =>
  new RestError(status, 'BURST_APIINVOCATION_LIMIT_EXCEEDED', `The maximum number of API invocations in a 30 second burst has been exceeded. The burst limit is ${limit}.`, headers);

export const unspecifiedError = (): RestError => new RestError(500, 'UNSPECIFIED_ERROR', 'An unexpected error occurred on the server.');

/** An outage. DocuSign documents no code for it: this one and its message are assumptions, the shape is errorDetails. */
export const serviceUnavailable = (): RestError => new RestError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Try again later.');

/**
 * A parameter outside what DocuSign documents for it. INVALID_REQUEST_PARAMETER is DocuSign's
 * generic code for a bad parameter; that it is the one for each parameter here is an assumption:
 * the eSignature description names no error codes for them.
 */
export const invalidParameter = (name: string, value: string, expected: string): RestError =>
  new RestError(400, 'INVALID_REQUEST_PARAMETER', `The request contained at least one invalid parameter. Invalid value '${value}' for ${name}: ${expected}.`);
