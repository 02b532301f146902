/**
 * Placement 8.0.0's request schemas (`placement/schemas/*.py`), with keys in
 * the order of the Python dicts after their copy-and-modify construction.
 */
import { defineSchema as s, type Schema } from './jsonSchema.ts';

export const MAX_INT = 2147483647;
export const SQL_SP_FLOAT_MAX = 3.40282e38;
export const UUID_PATTERN = '^[0-9a-fA-F-]{36}$';
export const RC_PATTERN = '^[A-Z0-9_]+$';
export const CUSTOM_RC_PATTERN = '^CUSTOM_[A-Z0-9_]+$';
const CONSUMER_TYPE_PATTERN = RC_PATTERN;
const GROUP_PATTERN_1_33 = '[a-zA-Z0-9_-]{1,64}';

const uuidString = s({ type: 'string', format: 'uuid' });
const externalId = s({ type: 'string', minLength: 1, maxLength: 255 });

// Resource providers -------------------------------------------------------

export const POST_RESOURCE_PROVIDER: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string', maxLength: 200 }), uuid: uuidString },
  required: ['name'],
  additionalProperties: false,
});
export const PUT_RESOURCE_PROVIDER: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string', maxLength: 200 }) },
  required: ['name'],
  additionalProperties: false,
});
const parentProviderUuid = s({ anyOf: [uuidString, s({ type: 'null' })] });
export const POST_RESOURCE_PROVIDER_1_14: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string', maxLength: 200 }), uuid: uuidString, parent_provider_uuid: parentProviderUuid },
  required: ['name'],
  additionalProperties: false,
});
export const PUT_RESOURCE_PROVIDER_1_14: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string', maxLength: 200 }), parent_provider_uuid: parentProviderUuid },
  required: ['name'],
  additionalProperties: false,
});

const stringParameter = s({ type: 'string' });
function listProvidersQuery(properties: Readonly<Record<string, Schema>>): Schema {
  return s({ type: 'object', properties, additionalProperties: false });
}
export const GET_RESOURCE_PROVIDERS_1_0 = listProvidersQuery({ name: stringParameter, uuid: uuidString });
export const GET_RESOURCE_PROVIDERS_1_3 = listProvidersQuery({ name: stringParameter, uuid: uuidString, member_of: stringParameter });
export const GET_RESOURCE_PROVIDERS_1_4 = listProvidersQuery({
  name: stringParameter,
  uuid: uuidString,
  member_of: stringParameter,
  resources: stringParameter,
});
export const GET_RESOURCE_PROVIDERS_1_14 = listProvidersQuery({
  name: stringParameter,
  uuid: uuidString,
  member_of: stringParameter,
  resources: stringParameter,
  in_tree: uuidString,
});
export const GET_RESOURCE_PROVIDERS_1_18 = listProvidersQuery({
  name: stringParameter,
  uuid: uuidString,
  member_of: stringParameter,
  resources: stringParameter,
  in_tree: uuidString,
  required: stringParameter,
});

// Inventories --------------------------------------------------------------

const boundedInteger = (minimum: number): Schema => s({ type: 'integer', maximum: MAX_INT, minimum });
const inventoryProperties = {
  resource_provider_generation: s({ type: 'integer' }),
  total: boundedInteger(1),
  reserved: boundedInteger(0),
  min_unit: boundedInteger(1),
  max_unit: boundedInteger(1),
  step_size: boundedInteger(1),
  allocation_ratio: s({ type: 'number', maximum: SQL_SP_FLOAT_MAX }),
};
export const BASE_INVENTORY: Schema = s({
  type: 'object',
  properties: inventoryProperties,
  required: ['total', 'resource_provider_generation'],
  additionalProperties: false,
});
export const POST_INVENTORY: Schema = s({
  type: 'object',
  properties: { ...inventoryProperties, resource_class: s({ type: 'string', pattern: RC_PATTERN }) },
  required: ['total', 'resource_class'],
  additionalProperties: false,
});
const PUT_INVENTORY_RECORD: Schema = s({
  type: 'object',
  properties: inventoryProperties,
  required: ['total'],
  additionalProperties: false,
});
export const PUT_INVENTORIES: Schema = s({
  type: 'object',
  properties: {
    resource_provider_generation: s({ type: 'integer' }),
    inventories: s({ type: 'object', patternProperties: { [RC_PATTERN]: PUT_INVENTORY_RECORD } }),
  },
  required: ['resource_provider_generation', 'inventories'],
  additionalProperties: false,
});

// Allocations --------------------------------------------------------------

const resourcesSchema = s({
  type: 'object',
  minProperties: 1,
  patternProperties: { [RC_PATTERN]: s({ type: 'integer', minimum: 1 }) },
  additionalProperties: false,
});
const listAllocations = s({
  type: 'array',
  minItems: 1,
  items: s({
    type: 'object',
    properties: {
      resource_provider: s({
        type: 'object',
        properties: { uuid: uuidString },
        additionalProperties: false,
        required: ['uuid'],
      }),
      resources: resourcesSchema,
    },
    required: ['resource_provider', 'resources'],
    additionalProperties: false,
  }),
});
export const ALLOCATION_1_0: Schema = s({
  type: 'object',
  properties: { allocations: listAllocations },
  required: ['allocations'],
  additionalProperties: false,
});
export const ALLOCATION_1_8: Schema = s({
  type: 'object',
  properties: { allocations: listAllocations, project_id: externalId, user_id: externalId },
  required: ['allocations', 'project_id', 'user_id'],
  additionalProperties: false,
});

function dictAllocations(minProperties: number): Schema {
  return s({
    type: 'object',
    minProperties,
    patternProperties: {
      [UUID_PATTERN]: s({
        type: 'object',
        properties: { generation: s({ type: 'integer' }), resources: resourcesSchema },
        required: ['resources'],
        additionalProperties: false,
      }),
    },
    additionalProperties: false,
  });
}
const consumerGeneration = s({ type: ['integer', 'null'], additionalProperties: false });
const mappings = s({
  type: 'object',
  minProperties: 1,
  patternProperties: { [GROUP_PATTERN_1_33]: s({ type: 'array', minItems: 1, items: uuidString }) },
});
const consumerType = s({ type: 'string', pattern: CONSUMER_TYPE_PATTERN, minLength: 1, maxLength: 255 });

export const ALLOCATION_1_12: Schema = s({
  type: 'object',
  properties: { allocations: dictAllocations(1), project_id: externalId, user_id: externalId },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id'],
});
const DELETABLE_ALLOCATIONS: Schema = s({
  type: 'object',
  properties: { allocations: dictAllocations(0), project_id: externalId, user_id: externalId },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id'],
});
export const ALLOCATION_1_28: Schema = s({
  type: 'object',
  properties: { allocations: dictAllocations(0), project_id: externalId, user_id: externalId, consumer_generation: consumerGeneration },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation'],
});
export const ALLOCATION_1_34: Schema = s({
  type: 'object',
  properties: {
    allocations: dictAllocations(0),
    project_id: externalId,
    user_id: externalId,
    consumer_generation: consumerGeneration,
    mappings,
  },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation'],
});
export const ALLOCATION_1_38: Schema = s({
  type: 'object',
  properties: {
    allocations: dictAllocations(0),
    project_id: externalId,
    user_id: externalId,
    consumer_generation: consumerGeneration,
    mappings,
    consumer_type: consumerType,
  },
  additionalProperties: false,
  required: ['allocations', 'project_id', 'user_id', 'consumer_generation', 'consumer_type'],
});

function postAllocations(perConsumer: Schema): Schema {
  return s({ type: 'object', minProperties: 1, additionalProperties: false, patternProperties: { [UUID_PATTERN]: perConsumer } });
}
export const POST_ALLOCATIONS_1_13 = postAllocations(DELETABLE_ALLOCATIONS);
export const POST_ALLOCATIONS_1_28 = postAllocations(ALLOCATION_1_28);
export const POST_ALLOCATIONS_1_34 = postAllocations(ALLOCATION_1_34);
export const POST_ALLOCATIONS_1_38 = postAllocations(ALLOCATION_1_38);

// Usages -------------------------------------------------------------------

export const GET_USAGES_1_9: Schema = s({
  type: 'object',
  properties: { project_id: externalId, user_id: externalId },
  required: ['project_id'],
  additionalProperties: false,
});
export const GET_USAGES_1_38: Schema = s({
  type: 'object',
  properties: {
    project_id: externalId,
    user_id: externalId,
    consumer_type: s({ type: 'string', pattern: `${RC_PATTERN}|^all|^unknown$`, minLength: 1, maxLength: 255 }),
  },
  required: ['project_id'],
  additionalProperties: false,
});

// Traits, resource classes and aggregates -----------------------------------

export const SET_TRAITS_FOR_PROVIDER: Schema = s({
  type: 'object',
  properties: {
    traits: s({ type: 'array', items: s({ type: 'string', minLength: 1, maxLength: 255 }) }),
    resource_provider_generation: s({ type: 'integer' }),
  },
  required: ['traits', 'resource_provider_generation'],
  additionalProperties: false,
});
export const LIST_TRAITS: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string' }), associated: s({ type: 'string' }) },
  additionalProperties: false,
});
export const POST_RESOURCE_CLASS: Schema = s({
  type: 'object',
  properties: { name: s({ type: 'string', pattern: CUSTOM_RC_PATTERN, maxLength: 255 }) },
  required: ['name'],
  additionalProperties: false,
});
export const CUSTOM_TRAIT: Schema = s({ type: 'string', minLength: 1, maxLength: 255, pattern: CUSTOM_RC_PATTERN });
export const PUT_AGGREGATES_1_1: Schema = s({ type: 'array', items: uuidString, uniqueItems: true });
export const PUT_AGGREGATES_1_19: Schema = s({
  type: 'object',
  properties: { aggregates: PUT_AGGREGATES_1_1, resource_provider_generation: s({ type: 'integer' }) },
  required: ['aggregates', 'resource_provider_generation'],
  additionalProperties: false,
});
