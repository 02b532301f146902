/**
 * /resource_providers/{uuid}/usages and /usages.
 */
import { error } from '../errors.ts';
import * as schemas from '../schemas.ts';
import type { Consumer, State } from '../state.ts';
import type { PythonValue } from '../pythonRepr.ts';
import { atLeast, fail, parameter, queryValue, validateQuery, type ApiContext, type Reply } from './context.ts';
import { jsonReply } from './respond.ts';

export function showProviderUsages(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(error(404, `No resource provider with uuid ${uuid} found: No resource provider with uuid ${uuid} found`));
  const usages: Record<string, PythonValue> = {};
  // One key per class with inventory, zero when unused.
  for (const resourceClass of provider.inventories.keys()) usages[resourceClass] = provider.usages.get(resourceClass) ?? 0;
  return jsonReply(state, context, { resource_provider_generation: provider.generation, usages });
}

function sumByClass(consumers: readonly Consumer[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const consumer of consumers) {
    for (const row of consumer.allocations) totals[row.resourceClass] = (totals[row.resourceClass] ?? 0) + row.used;
  }
  return totals;
}

export function totalUsages(state: State, context: ApiContext): Reply {
  const invalid = validateQuery(context, atLeast(context, 1, 38) ? schemas.GET_USAGES_1_38 : schemas.GET_USAGES_1_9);
  if (invalid !== null) return fail(invalid);
  const projectId = queryValue(context, 'project_id') ?? '';
  const userId = queryValue(context, 'user_id');
  const matching = [...state.consumers.values()].filter(
    (consumer) => consumer.projectId === projectId && (userId === undefined || userId === '' || consumer.userId === userId),
  );
  if (!atLeast(context, 1, 38)) return jsonReply(state, context, { usages: sumByClass(matching) });
  const consumerType = queryValue(context, 'consumer_type');
  const groups = new Map<string, Consumer[]>();
  if (consumerType === 'all' || consumerType === 'unknown') {
    const members = consumerType === 'all' ? matching : matching.filter((consumer) => consumer.consumerType === null);
    if (members.length > 0) groups.set(consumerType, members);
  } else {
    for (const consumer of matching) {
      const name = consumer.consumerType ?? 'unknown';
      if (consumerType !== undefined && consumerType !== '' && consumer.consumerType !== consumerType) continue;
      groups.set(name, [...(groups.get(name) ?? []), consumer]);
    }
  }
  const usages: Record<string, PythonValue> = {};
  for (const [name, members] of groups) usages[name] = { ...sumByClass(members), consumer_count: members.length };
  return jsonReply(state, context, { usages });
}
