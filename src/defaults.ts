/**
 * The client's defaults that more than one step reads (options resolve them, the response reader
 * names them in its hints). A leaf module: it imports nothing, so no import cycle runs through it.
 */

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Default `maxResponseBytes`: 8 MiB of decoded body (an allow policy is under 2 KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
