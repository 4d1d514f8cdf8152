/**
 * JSON schemas of the agent API's bodies: plain data, so the controller can import them to check what it
 * sends with the same rules the agent applies.
 */

/** Largest byte count accepted anywhere (1 PiB): beyond any node, and well inside exact doubles. */
export const MAX_BYTES = 2 ** 50;
/** Docker refuses memory limits under 6 MiB. */
export const MIN_MEMORY_LIMIT = 6 * 1024 * 1024;
/** Largest body the API reads. */
export const BODY_LIMIT = 1024 * 1024;

const name = { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$', minLength: 1, maxLength: 128 } as const;
const seconds = { type: 'number', exclusiveMinimum: 0, maximum: 86_400 } as const;
const stringMap = (keyPattern: string) =>
  ({
    type: 'object',
    maxProperties: 256,
    propertyNames: { pattern: keyPattern, maxLength: 256 },
    additionalProperties: { type: 'string', maxLength: 65_536 },
  }) as const;

/** One container spec (agent/types.ts ContainerSpec). */
export const containerSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'stack', 'service', 'replica', 'image'],
  properties: {
    name,
    stack: name,
    service: name,
    replica: { type: 'integer', minimum: 0, maximum: 100_000 },
    image: { type: 'string', pattern: '^[^\\s]+$', minLength: 1, maxLength: 512 },
    command: { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 65_536 } },
    env: stringMap('^[A-Za-z_][A-Za-z0-9_]*$'),
    ports: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['container', 'host'],
        properties: {
          container: { type: 'integer', minimum: 1, maximum: 65_535 },
          host: { type: 'integer', minimum: 1, maximum: 65_535 },
          protocol: { type: 'string', enum: ['tcp', 'udp'] },
        },
      },
    },
    memoryLimit: { type: 'integer', minimum: MIN_MEMORY_LIMIT, maximum: MAX_BYTES },
    memoryReservation: { type: 'integer', minimum: 0, maximum: MAX_BYTES },
    cpus: { type: 'number', exclusiveMinimum: 0, maximum: 1024 },
    pidsLimit: { type: 'integer', minimum: 1, maximum: 4_194_304 },
    restartPolicy: { type: 'string', enum: ['no', 'on-failure', 'always', 'unless-stopped'] },
    healthcheck: {
      type: 'object',
      additionalProperties: false,
      required: ['test'],
      properties: {
        test: { type: 'array', minItems: 1, maxItems: 256, items: { type: 'string', maxLength: 65_536 } },
        intervalS: seconds,
        timeoutS: seconds,
        retries: { type: 'integer', minimum: 0, maximum: 1000 },
        startPeriodS: seconds,
      },
    },
    labels: stringMap('^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
  },
} as const;

/** PUT /v1/desired body (agent/types.ts DesiredSet). */
export const desiredSetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['generation', 'containers'],
  properties: {
    generation: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    containers: { type: 'array', maxItems: 1000, items: containerSpecSchema },
  },
} as const;

/** POST /v1/drain body. */
export const drainSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['available'],
  properties: { available: { type: 'boolean' } },
} as const;
