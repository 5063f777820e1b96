/**
 * The CLI's output reaches a pipe whole, however large: `okta-remediate ... --json | jq` on a big
 * report must not be cut when the process exits.
 */
import { SimWorld } from '../../sim/world';
import { cli } from '../support/cli';

let world: SimWorld | undefined;
afterAll(() => world?.stop());

it('pipes a report of more than 1 MB whole', async () => {
  world = await SimWorld.start({ requireTrustedCa: false }); // the CLI runs in another process
  const { generic } = world.seed();
  const USERS = 8000;
  for (let i = 0; i < USERS; i++) {
    const id = world.okta.addUser({ login: `person.${i}@example.com`, firstName: 'Person', lastName: `${i}` });
    world.okta.assignUser(generic.appId, id);
  }

  const run = await cli(['sim', 'state', '--json'], { OKTA_ORG_URL: world.okta.url, OKTA_SIM_ADMIN_TOKEN: world.okta.apiToken });

  expect(run.code).toBe(0);
  expect(run.stdout.length).toBeGreaterThan(1_000_000);
  const state = JSON.parse(run.stdout) as { okta: { apps: Array<{ id: string; users: Array<{ login: string }> }> } };
  const users = state.okta.apps.find((a) => a.id === generic.appId)!.users;
  expect(users.filter((u) => u.login.startsWith('person.'))).toHaveLength(USERS);
});
