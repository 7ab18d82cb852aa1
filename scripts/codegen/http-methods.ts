import type { HttpMethod } from '../../src/metadata.js';

/** The operation keys of an OpenAPI path item, in the order the spec lists them. */
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];
