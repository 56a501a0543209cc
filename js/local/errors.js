// @ts-check
/**
 * Control-plane errors in the service's shape: an HTTP status, the error type that goes into
 * `X-Amzn-ErrorType`, and a JSON body that always has `message`.
 * @module
 */

/** An error the control plane answers with (never a crash). */
export class ServiceError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {string} type AWS error type, e.g. `ValidationException`
   * @param {string} message human-readable message, sent as body `message`
   * @param {Record<string, unknown>} [members] further body members (`reason`, `fieldList`, ...)
   */
  constructor(status, type, message, members = {}) {
    super(message);
    this.name = 'ServiceError';
    this.status = status;
    this.type = type;
    this.members = members;
  }

  /** The JSON body: `message` first, then the other members. */
  body() {
    return { message: this.message, ...this.members };
  }
}

/**
 * @typedef {object} FieldProblem
 * @property {string} name the request member, e.g. `userId` or `attributes`
 * @property {string} message what is wrong with it
 */

/**
 * 400 ValidationException with `reason: FIELD_VALIDATION_FAILED` and one `fieldList` entry per
 * failing member.
 * @param {FieldProblem[]} problems at least one
 */
export function fieldValidationError(problems) {
  const count = problems.length;
  const summary = problems.map((p) => `Value at '${p.name}' failed to satisfy constraint: ${p.message}`).join('; ');
  return new ServiceError(
    400,
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${summary}`,
    { reason: 'FIELD_VALIDATION_FAILED', fieldList: problems.map(({ name, message }) => ({ name, message })) },
  );
}

/**
 * 400 ValidationException with `reason: OTHER` (for example an unreadable body).
 * @param {string} message
 */
export function otherValidationError(message) {
  return new ServiceError(400, 'ValidationException', message, { reason: 'OTHER' });
}

/**
 * 404 ResourceNotFoundException for a room.
 * @param {string} roomIdentifier the ARN that was asked for
 */
export function roomNotFound(roomIdentifier) {
  const resourceId = roomIdentifier.slice(roomIdentifier.lastIndexOf('/') + 1);
  return new ServiceError(404, 'ResourceNotFoundException', `Room not found: ${roomIdentifier}`, {
    resourceId,
    resourceType: 'ROOM',
  });
}
