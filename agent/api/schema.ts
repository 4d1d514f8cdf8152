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
/**
 * Largest secret or config (512 KiB, about Swarm's 500 KB): base64 makes it 683 KiB, inside BODY_LIMIT.
 * Files are for credentials and small configuration, not data.
 */
export const MAX_FILE_BYTES = 512 * 1024;
/** A delivered file's name: `<stack>_<key>.<first 12 hex digits of the sha256 of its content>`. */
export const FILE_NAME = '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,114}\\.[0-9a-f]{12}$';
/** A Linux capability as Docker and Compose take it: `NET_ADMIN`, `CAP_NET_ADMIN`, `ALL` (any case). */
export const CAPABILITY = '^[A-Za-z][A-Za-z0-9_]*$';
/** A host name or alias (RFC 1123 labels, with underscores as Docker allows). */
const HOST_NAME = '^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$';

const name = { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$', minLength: 1, maxLength: 128 } as const;
const path = { type: 'string', minLength: 1, maxLength: 4096, pattern: '^[^\\u0000]*$' } as const;
const argv = { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 65_536 } } as const;
const capabilities = { type: 'array', maxItems: 64, items: { type: 'string', pattern: CAPABILITY, maxLength: 64 } } as const;
const id = { type: 'integer', minimum: 0, maximum: 2 ** 32 - 2 } as const;
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
    command: argv,
    entrypoint: argv,
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
          hostIp: { type: 'string', pattern: '^[0-9A-Fa-f:.]+$', minLength: 2, maxLength: 45 },
        },
      },
    },
    mounts: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'target'],
        properties: {
          type: { type: 'string', enum: ['volume', 'bind', 'tmpfs'] },
          source: path,
          target: path,
          readOnly: { type: 'boolean' },
        },
      },
    },
    devices: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'container'],
        properties: { host: path, container: path, permissions: { type: 'string', pattern: '^[rwm]{1,3}$' } },
      },
    },
    privileged: { type: 'boolean' },
    capAdd: capabilities,
    capDrop: capabilities,
    networkMode: { type: 'string', enum: ['host', 'none', 'bridge'] },
    networks: {
      type: 'array',
      maxItems: 16,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          aliases: { type: 'array', maxItems: 32, items: { type: 'string', pattern: HOST_NAME, maxLength: 253 } },
        },
      },
    },
    extraHosts: {
      type: 'array',
      maxItems: 256,
      items: { type: 'string', pattern: '^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?:([0-9A-Fa-f:.]+|host-gateway)$', maxLength: 300 },
    },
    user: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$', maxLength: 256 },
    workingDir: path,
    logging: {
      type: 'object',
      additionalProperties: false,
      required: ['driver'],
      properties: {
        driver: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.:/-]*$', maxLength: 128 },
        options: stringMap('^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
      },
    },
    files: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'name', 'digest', 'target'],
        properties: {
          kind: { type: 'string', enum: ['secret', 'config'] },
          name: { type: 'string', pattern: FILE_NAME, maxLength: 128 },
          digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          target: path,
          mode: { type: 'integer', minimum: 0, maximum: 0o777 },
          uid: id,
          gid: id,
        },
      },
    },
    memoryLimit: { type: 'integer', minimum: MIN_MEMORY_LIMIT, maximum: MAX_BYTES },
    memoryReservation: { type: 'integer', minimum: 0, maximum: MAX_BYTES },
    cpus: { type: 'number', exclusiveMinimum: 0, maximum: 1024 },
    pidsLimit: { type: 'integer', minimum: 1, maximum: 4_194_304 },
    restartPolicy: { type: 'string', enum: ['no', 'on-failure', 'always', 'unless-stopped'] },
    stopGraceS: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
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

/** PUT /v1/files/{name} body: the content, base64 (standard alphabet, padded). */
export const fileBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'data'],
  properties: {
    kind: { type: 'string', enum: ['secret', 'config'] },
    data: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: Math.ceil(MAX_FILE_BYTES / 3) * 4 },
  },
} as const;

/** The {name} of /v1/files/{name}. */
export const fileParamsSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: FILE_NAME, maxLength: 128 } },
} as const;

/** POST /v1/drain body. */
export const drainSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['available'],
  properties: { available: { type: 'boolean' } },
} as const;
