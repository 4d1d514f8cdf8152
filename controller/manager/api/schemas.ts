/** JSON schemas of the manager API's bodies (strict: unknown fields refused, nothing coerced). */
import type { Availability } from '../../../shared/wire.js';

/** What a node's availability may be set to. */
export const AVAILABILITY_VALUES: readonly Availability[] = ['active', 'pause', 'drain'];

/** Largest body of most routes. */
export const BODY_LIMIT = 64 * 1024;
/** Largest stack a deploy sends (its secrets and configs ride along as base64). */
export const STACK_BODY_LIMIT = 8 * 1024 * 1024;
/** Most replicas a scale may ask for. */
export const MAX_REPLICAS = 1000;

const name = { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$', minLength: 1, maxLength: 128 } as const;
const map = { type: 'object', maxProperties: 1000 } as const;

/** POST /v1/nodes/:node/availability */
export const availabilityBody = {
  type: 'object',
  additionalProperties: false,
  required: ['availability'],
  properties: { availability: { type: 'string', enum: [...AVAILABILITY_VALUES] } },
} as const;

/** POST /v1/services/:stack/:service/scale */
export const scaleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['replicas'],
  properties: { replicas: { type: 'integer', minimum: 0, maximum: MAX_REPLICAS } },
} as const;

/** POST /v1/login */
export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

/**
 * POST /v1/stacks: the outer shape of a DeployRequest. The stack inside is what `muster deploy` loaded and
 * normalised; the manager checks it further as it plans, so only its frame is checked here.
 */
export const deployBody = {
  type: 'object',
  additionalProperties: false,
  required: ['stack', 'file'],
  properties: {
    file: { type: 'string', minLength: 1, maxLength: 4096 },
    move: { type: 'array', maxItems: 1000, items: name },
    stack: {
      type: 'object',
      required: ['name', 'services', 'networks', 'volumes', 'secrets', 'configs'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 64 },
        file: { type: 'string', maxLength: 4096 },
        services: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object', required: ['name'], properties: { name } } },
        networks: map,
        volumes: map,
        secrets: map,
        configs: map,
      },
    },
  },
} as const;
