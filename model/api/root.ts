/**
 * GET /: the version document.
 */
import { formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION } from '../microversion.ts';
import type { State } from '../state.ts';
import type { ApiContext, Reply } from './context.ts';
import { jsonReply } from './respond.ts';

export function home(state: State, context: ApiContext): Reply {
  return jsonReply(state, context, {
    versions: [
      {
        id: `v${formatMicroversion(MIN_MICROVERSION)}`,
        max_version: formatMicroversion(MAX_MICROVERSION),
        min_version: formatMicroversion(MIN_MICROVERSION),
        status: 'CURRENT',
        links: [{ rel: 'self', href: '' }],
      },
    ],
  });
}
