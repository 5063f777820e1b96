/** An admin signs in as the CLI's `--sign-in` does, approving the code at the simulated org at once. */
import { signIn } from '../../client/sign-in';
import type { OktaSim } from '../../sim/okta';

/** The ID token the CLI's device sign-in gets for `login` (the person approves as soon as the code is shown). */
export async function signInAs(sim: OktaSim, clientId: string, login: string): Promise<string> {
  const { idToken } = await signIn({ orgUrl: sim.url, clientId }, (p) => sim.approveSignIn(p.userCode, login));
  return idToken;
}
