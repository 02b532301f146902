/**
 * May a live run wipe the service at a URL? Every live run starts by
 * resetting the service to empty, which deletes all of its data. That is
 * only done to a service this project started (its record is in the
 * project's state directory), or when the user explicitly says the data may
 * go.
 */
import { findPlacement, type PlacementService } from '../../services/placement/service.ts';
import { parseBaseUrl } from '../http/createHttpTarget.ts';

export type ResetAuthority =
  /** A service started by services/placement: its record names this URL. */
  | { readonly kind: 'recorded'; readonly url: string; readonly service: PlacementService }
  /** Another service, reset because the user passed the explicit flag. */
  | { readonly kind: 'forced'; readonly url: string };

export type ResetAuthorityProblem = { readonly kind: 'refused'; readonly message: string };

/** The flag that lets a run reset a service this project did not start. */
export const FORCE_RESET_FLAG = '--allow-reset';

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function resolveResetAuthority(baseUrl: string, forced: boolean): ResetAuthority | ResetAuthorityProblem {
  const parsed = parseBaseUrl(baseUrl);
  if ('kind' in parsed) return { kind: 'refused', message: parsed.message };
  const url = parsed.origin.origin + parsed.pathPrefix;
  const port = Number(parsed.origin.port === '' ? '80' : parsed.origin.port);
  const found = LOOPBACK_NAMES.has(parsed.origin.hostname) && parsed.pathPrefix === '' ? findPlacement(port) : null;
  if (found !== null && found.ok) return { kind: 'recorded', url, service: found.value };
  if (forced) return { kind: 'forced', url };
  return {
    kind: 'refused',
    message:
      `${url} is not a Placement service this project started (no record of it in the project's state directory), ` +
      'and every live run first resets the service to empty, deleting all of its data. ' +
      'Start one with `npm run placement:up -- --port N`, or use --target placement:sqlite (or placement:mariadb) to start and stop one for this campaign; ' +
      `pass ${FORCE_RESET_FLAG} only if that service serves the placement-sim reset endpoint and its data may be deleted.`,
  };
}

/** A service this process just started: it may always be reset. */
export function authorityFor(service: PlacementService): ResetAuthority {
  return { kind: 'recorded', url: service.url, service };
}
