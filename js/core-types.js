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
 * @typedef {object} CoreSignedRequest
 * @property {boolean} ok
 * @property {string} errorsJson validation errors, JSON array of {field, code, message}
 * @property {string} error signing problem (credentials, region, endpoint); never quotes a secret
 * @property {string} errorField the input at fault for `error`
 * @property {string} url
 * @property {string} body
 * @property {string} host
 * @property {string} amzDate
 * @property {string} securityToken empty for long-term credentials
 * @property {string} authorization
 */

/**
 * @typedef {object} CoreFrameBuild
 * @property {boolean} ok
 * @property {string} errorsJson JSON array of {field, code, message}
 * @property {string} frame the text frame to send, when ok
 */

/**
 * @typedef {object} CoreServerFrame
 * @property {boolean} ok
 * @property {string} error why the frame is malformed (never quotes it)
 * @property {'MESSAGE' | 'EVENT' | 'ERROR' | 'UNKNOWN' | ''} kind
 * @property {string} type
 * @property {string} id
 * @property {string} requestId
 * @property {string} content
 * @property {string} attributesJson JSON object, or '' when there are none
 * @property {number} sendTimeMillis
 * @property {string} senderUserId
 * @property {string} senderAttributesJson JSON object, or '' when there are none
 * @property {string} eventName
 * @property {number} errorCode
 * @property {string} errorMessage
 * @property {string} deletedMessageId aws:DELETE_MESSAGE
 * @property {string} disconnectedUserId aws:DISCONNECT_USER
 * @property {string} reason aws:DELETE_MESSAGE / aws:DISCONNECT_USER
 */

/**
 * @typedef {object} IvsChatCore
 * @property {(jsonText: string) => CoreValidationResult} validateCreateChatTokenRequest
 * @property {(body: string) => CoreChatTokenResponse} parseCreateChatTokenResponse
 * @property {(status: number, errorTypeHeader: string, body: string) => CoreAwsError} parseAwsError
 * @property {(roomArn: string) => string} messagingUrlForRoom
 * @property {(requestJson: string, region: string, endpoint: string, accessKeyId: string,
 *   secretAccessKey: string, sessionToken: string, epochMillis: number) => CoreSignedRequest} signCreateChatTokenRequest
 *   region '' = the room's; endpoint '' = the region's control plane
 * @property {(errorsJson: string) => string} buildValidationExceptionBody
 * @property {(requestJson: string, requestId: string, maxMessageLength: number) => CoreFrameBuild} buildSendMessageFrame
 * @property {(requestJson: string, requestId: string) => CoreFrameBuild} buildDeleteMessageFrame
 * @property {(requestJson: string, requestId: string) => CoreFrameBuild} buildDisconnectUserFrame
 * @property {(text: string) => CoreServerFrame} parseServerFrame
 */

/**
 * The module as the Emscripten factory returns it: the functions above that js/core-wrap.js
 * adds come from these raw bindings, which return their results packed in one string.
 * @typedef {Omit<IvsChatCore, 'parseServerFrame' | 'signCreateChatTokenRequest' | 'buildSendMessageFrame'
 *   | 'buildDeleteMessageFrame' | 'buildDisconnectUserFrame'> & {
 *   parseServerFramePacked: (text: string) => string,
 *   signCreateChatTokenRequestPacked: (requestJson: string, region: string, endpoint: string, accessKeyId: string,
 *     secretAccessKey: string, sessionToken: string, epochMillis: number) => string,
 *   buildSendMessageFramePacked: (requestJson: string, requestId: string, maxMessageLength: number) => string,
 *   buildDeleteMessageFramePacked: (requestJson: string, requestId: string) => string,
 *   buildDisconnectUserFramePacked: (requestJson: string, requestId: string) => string,
 * }} RawIvsChatCore
 */

export {};
