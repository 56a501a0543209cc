// @ts-check
// Types of what the embind module (src/bindings/embind.cpp) hands to JavaScript.

/**
 * @typedef {object} CoreValidationResult
 * @property {boolean} ok
 * @property {string} errorsJson JSON array of {field, code, message}
 * @property {string} body the POST /CreateChatToken body, when ok
 * @property {string} region the room's region, when ok
 */

/**
 * @typedef {object} CoreChatTokenResponse
 * @property {boolean} ok
 * @property {string} error why the body is unusable (never quotes it)
 * @property {string} token
 * @property {number} tokenExpirationMillis
 * @property {number} sessionExpirationMillis
 */

/**
 * @typedef {object} CoreAwsError
 * @property {number} status
 * @property {string} type
 * @property {string} message
 * @property {string} reason
 * @property {string} fieldListJson JSON array of {name, message}
 * @property {string} resourceId
 * @property {string} resourceType
 */

/**
 * @typedef {object} IvsChatCore
 * @property {(jsonText: string) => CoreValidationResult} validateCreateChatTokenRequest
 * @property {(body: string) => CoreChatTokenResponse} parseCreateChatTokenResponse
 * @property {(status: number, errorTypeHeader: string, body: string) => CoreAwsError} parseAwsError
 * @property {(roomArn: string) => string} messagingUrlForRoom
 */

export {};
