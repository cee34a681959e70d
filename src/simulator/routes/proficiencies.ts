import { apiErrors } from '../api-error';
import type { NamedRecord, OrgStore, UserRecord } from '../org/store';
import { pageOf, parsePaging } from '../paging';
import { requireArray, requireObject, requireString } from '../validate';
import { requireProficiency, requireUser } from './lookup';
import type { ApiRoute, ApiRequest, RouteDeps } from './route-types';

/** Most entries one bulk skill or language assignment may carry. */
export const MAX_BULK_ASSIGNMENTS = 50;

/** How one kind of proficiency assignment (skills or languages) is stored and shown. */
interface AssignmentKind {
  /** Path segment under the user, e.g. `routingskills`. */
  readonly segment: 'routingskills' | 'routinglanguages';
  /** Path parameter name of the item, e.g. `skillId`. */
  readonly itemParam: string;
  /** JSON field linking to the catalog item, e.g. `skillUri`. */
  readonly uriField: string;
  /** Where the catalog item lives. */
  readonly catalogPath: string;
  readonly catalog: (store: OrgStore) => Map<string, NamedRecord>;
  readonly assigned: (user: UserRecord) => Map<string, number>;
  /** Whether `PUT .../bulk` (replace all) exists; the SDK offers it for skills only. */
  readonly putBulk: boolean;
}

const SKILLS: AssignmentKind = {
  segment: 'routingskills',
  itemParam: 'skillId',
  uriField: 'skillUri',
  catalogPath: '/api/v2/routing/skills',
  catalog: (store) => store.skills,
  assigned: (user) => user.skills,
  putBulk: true,
};

const LANGUAGES: AssignmentKind = {
  segment: 'routinglanguages',
  itemParam: 'languageId',
  uriField: 'languageUri',
  catalogPath: '/api/v2/routing/languages',
  catalog: (store) => store.languages,
  assigned: (user) => user.languages,
  putBulk: false,
};

/** Routing skill and routing language routes of users. */
export function proficiencyRoutes(deps: RouteDeps): ApiRoute[] {
  return [...routesFor(deps, SKILLS), ...routesFor(deps, LANGUAGES)];
}

function routesFor(deps: RouteDeps, kind: AssignmentKind): ApiRoute[] {
  const { store } = deps;
  const base = `/api/v2/users/{id}/${kind.segment}`;
  const json = (user: UserRecord, itemId: string) => ({
    id: itemId,
    name: kind.catalog(store).get(itemId)?.name,
    proficiency: kind.assigned(user).get(itemId),
    state: 'active',
    [kind.uriField]: `${kind.catalogPath}/${itemId}`,
    selfUri: `/api/v2/users/${user.id}/${kind.segment}/${itemId}`,
  });
  const listing = (user: UserRecord, query: URLSearchParams) => {
    const ids = [...kind.assigned(user).keys()].sort((a, b) => (kind.catalog(store).get(a)?.name ?? '').localeCompare(kind.catalog(store).get(b)?.name ?? ''));
    const page = pageOf(ids, parsePaging(query, 500), `/api/v2/users/${user.id}/${kind.segment}`);
    return { ...page, entities: page.entities.map((id) => json(user, id)) };
  };
  /** Parses `{id, proficiency}`; unknown catalog ids are a 400 so nothing half-applies. */
  const parseAssignment = (value: unknown): [string, number] => {
    const input = requireObject(value, 'assignment');
    const id = requireString(input, 'id').toLowerCase();
    if (!kind.catalog(store).has(id)) throw apiErrors.badRequest(`Unknown ${kind.itemParam.replace('Id', '')} id '${id}'.`);
    return [id, requireProficiency(input.proficiency)];
  };
  const bulk = (replace: boolean) => ({ params, query, body }: ApiRequest) => {
    const user = requireUser(store, params.id);
    const entries = requireArray(body, MAX_BULK_ASSIGNMENTS).map(parseAssignment);
    if (replace) kind.assigned(user).clear();
    for (const [id, proficiency] of entries) kind.assigned(user).set(id, proficiency);
    return { status: 200, body: listing(user, query) };
  };
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: base,
      handler: ({ params, query }) => ({ status: 200, body: listing(requireUser(store, params.id), query) }),
    },
    {
      method: 'POST',
      pattern: base,
      handler: ({ params, body }) => {
        const user = requireUser(store, params.id);
        const [id, proficiency] = parseAssignment(body);
        kind.assigned(user).set(id, proficiency);
        return { status: 200, body: json(user, id) };
      },
    },
    { method: 'PATCH', pattern: `${base}/bulk`, handler: bulk(false) },
    {
      method: 'DELETE',
      pattern: `${base}/{${kind.itemParam}}`,
      // ASSUMPTION (no source says how Genesys answers): removing something the user does not have is a 404.
      // Clients must treat 404 as "already gone", and a 2xx the same way.
      handler: ({ params }) => {
        const user = requireUser(store, params.id);
        if (!kind.assigned(user).delete(params[kind.itemParam].toLowerCase())) {
          throw apiErrors.notFound(`The user has no such ${kind.segment === 'routingskills' ? 'skill' : 'language'}.`);
        }
        return { status: 204 };
      },
    },
  ];
  if (kind.putBulk) routes.push({ method: 'PUT', pattern: `${base}/bulk`, handler: bulk(true) });
  return routes;
}
