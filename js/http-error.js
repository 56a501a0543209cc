// @ts-check
// The error for a non-2xx answer, read as the AWS SDKs read one (the type from X-Amzn-ErrorType,
// else the body's `code` or `__type`, else the status; the body's members), in the core: shared by
// createChatToken (the app's token backend answers in IVS's shape) and the moderation calls.

/**
 * @typedef {Pick<import('../dist/ivschat-client-calls.js').ClientCore, 'parseAwsError'>} AwsErrorReader
 */

/**
 * @param {AwsErrorReader} core
 * @param {Response} response
 * @param {string} text its body
 * @param {{ peer: string, endpoint: string | URL, ErrorClass: typeof import('./errors.js').IvsChatRequestError }} context
 *   peer names who answered, in the message
 */
export function httpError(core, response, text, { peer, endpoint, ErrorClass }) {
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const Peer = peer.charAt(0).toUpperCase() + peer.slice(1);
  // application/json, or the AWS JSON protocols' application/x-amz-json-1.0 / -1.1 (CloudWatch Logs).
  if (!response.headers.has('x-amzn-errortype') && !mediaType.endsWith('json') && !mediaType.startsWith('application/x-amz-json-')) {
    // Not an AWS-shaped answer (a web server's 404 page, a proxy's 502): no error type to read into it.
    return new ErrorClass('HTTP_ERROR', `${Peer} answered ${response.status} with ${mediaType || 'no content type'}, not JSON: is ${String(endpoint)} the right URL?`, { status: response.status });
  }
  const error = core.parseAwsError({ status: response.status, errorTypeHeader: response.headers.get('x-amzn-errortype')?.slice(0, 1024) ?? '', body: text });
  const detail = error.message ? `: ${error.message}` : '';
  return new ErrorClass('HTTP_ERROR', `${Peer} answered HTTP ${response.status} ${error.type}${detail}`, {
    status: response.status,
    errorType: error.type,
    awsMessage: error.message || undefined,
    reason: error.reason || undefined,
    fieldList: error.fieldList,
    resourceId: error.resourceId || undefined,
    resourceType: error.resourceType || undefined,
    limit: error.limit,
  });
}
