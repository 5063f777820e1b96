/**
 * DocuSign's contract, in two parts as DocuSign runs two hosts:
 * - `rest`: the eSignature REST API against DocuSign's own description
 *   (contracts/docusign/esignature.rest.swagger-v2.1.json.gz, Swagger 2.0, paths relative to its
 *   basePath /restapi); an error it does not declare must still be `errorDetails` ({errorCode,
 *   message}), and string values it lists only in a description ("One of: - `Active` ...") are
 *   held to that list;
 * - `accountServer`: /oauth/token and /oauth/userinfo, which that description lacks, against the
 *   document written from DocuSign's pages (docusign-account-server.ts); errors are OAuth errors.
 */
import { Contract, type Json } from './contract';
import { ACCOUNT_SERVER_DESCRIPTION } from './docusign-account-server';
import { loadDereferencedSpec, SPEC_PATHS } from './spec';

export interface DocuSignContract {
  rest: Contract;
  /** Where the description's paths start (its `basePath`, /restapi). */
  restBasePath: string;
  accountServer: Contract;
}

export async function loadDocuSignContract(): Promise<DocuSignContract> {
  const api = await loadDereferencedSpec(SPEC_PATHS.docusign);
  const definitions = api.definitions as Json;
  const restBasePath = api.basePath as string;
  const rest = new Contract(api, {
    vendor: 'DocuSign',
    basePath: restBasePath,
    usualError: () => ({ schema: definitions.errorDetails, mediaTypes: ['application/json'] }),
    enumFromDescription: valuesListedIn,
  });
  const oauthError = ((ACCOUNT_SERVER_DESCRIPTION.components as Json).schemas as Json).OAuthError;
  const accountServer = new Contract(ACCOUNT_SERVER_DESCRIPTION, {
    vendor: 'DocuSign account server',
    usualError: () => ({ schema: oauthError, mediaTypes: ['application/json'] }),
  });
  return { rest, restBasePath, accountServer };
}

/**
 * The values of a DocuSign string that its description lists as exhaustive ("One of:" or "Valid
 * values are:", then a bullet per `value`); undefined for other descriptions ("Examples include:").
 */
export function valuesListedIn(description: string): string[] | undefined {
  const list = /(?:One of|Valid values are|Possible values are):?[ \t]*\n(?:[ \t]*\n)*((?:[ \t]*[-*][ \t]+`[^`\n]+`[^\n]*(?:\n|$))+)/i.exec(description)?.[1];
  return list ? [...list.matchAll(/[-*][ \t]+`([^`\n]+)`/g)].map((m) => m[1]!) : undefined;
}
