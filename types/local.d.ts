/**
 * `ivschat-wasm/local`: a loopback stand-in for Amazon IVS Chat, for offline development and
 * tests. One port serves both the control plane (rest-json over HTTP, SigV4-verified, same paths
 * and shapes as the service) and the messaging API (WebSocket, the chat token as the single
 * subprotocol). Fault controls let tests break the network on purpose.
 */

/** AWS credentials: the one identity the local server accepts. */
export interface LocalCredentials {
  /** Access key id; a request signed with any other key gets 403 `UnrecognizedClientException`. */
  accessKeyId: string;
  /** Secret key used to verify signatures. Never logged. */
  secretAccessKey: string;
  /**
   * Session token of temporary credentials. When set, every request must carry it in
   * `x-amz-security-token` (else 403 `UnrecognizedClientException`).
   */
  sessionToken?: string;
}

/** Options of {@link startLocalIvsChat}. */
export interface LocalIvsChatOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port; `0` (the default) picks a free port. */
  port?: number;
  /**
   * Accepted credentials. Default: random credentials made for this start (read them from
   * {@link LocalIvsChat.credentials}), so that no web page or program that was not given them can
   * sign a request.
   */
  credentials?: LocalCredentials;
  /** Region of the SigV4 credential scope and of room ARNs. Default `us-east-1`. */
  region?: string;
  /** 12-digit account id used in room ARNs. Default `123456789012`. */
  accountId?: string;
  /**
   * Chat-token lifetime in (service) seconds: a token is refused after `tokenExpirationTime`.
   * Default 300. Divided by `timeScale` in real time.
   */
  tokenLifetimeSeconds?: number;
  /**
   * Service time runs `timeScale` times faster than real time for token lifetimes and session
   * durations: with 60, `sessionDurationInMinutes: 1` lasts one real second. The times the
   * server returns (`tokenExpirationTime`, `sessionExpirationTime`) are always the real
   * wall-clock instants. SigV4 clock skew, the rate-limit window and fault delays are real time.
   * Default 1.
   */
  timeScale?: number;
  /**
   * Serve the unauthenticated `/_local/*` admin routes (faults, stats). Default true. They answer
   * only requests a web page cannot make without a preflight (the header `x-ivschat-local: 1`,
   * or a JSON body), never grant a preflight, and refuse any foreign `Origin`: a page on another
   * site cannot drive a developer's local server.
   */
  adminRoutes?: boolean;
  /**
   * Host names (no port) the server answers for besides `localhost`, `127.0.0.1`, `[::1]` and the
   * bound host. Any other `Host` (a DNS-rebinding page's) gets 421, on HTTP and WebSocket alike.
   */
  allowedHosts?: string[];
  /**
   * Browser origins (`http://localhost:5173`: scheme, host and port) whose pages may call the
   * control plane directly; they get a CORS grant naming their origin (never `*`). Any other
   * `Origin`, and any request marked `Sec-Fetch-Site: cross-site` or `same-site`, is refused with
   * 403 `AccessDeniedException` on every HTTP route, preflights included. Default none: scripts,
   * SDKs and servers, which send no `Origin`, are served. (The WebSocket is not affected: a chat
   * token opens it, from any page, as on the service.)
   */
  allowedOrigins?: string[];
  /**
   * Lambda ARN → function: the message review handlers rooms may name. A room whose
   * `messageReviewHandler.uri` is one of these ARNs has each SEND_MESSAGE reviewed as IVS does:
   * the function gets IVS's event `{ Content, MessageId, RoomArn, Attributes, Sender: { Attributes,
   * UserId, Ip } }` and returns (a promise of) `{ Content, ReviewResult: 'ALLOW' | 'DENY',
   * Attributes }`; ALLOW delivers the returned content and attributes, DENY answers the sender
   * ERROR 406 (with `Attributes.Reason` in its message), and an error, an invalid answer or no
   * answer within 200 ms applies the room's `fallbackResult`. `createMessageReviewHandler(...)`
   * of `ivschat-wasm/backend` is such a function.
   */
  lambdas?: Record<string, (event: LocalReviewEvent) => unknown>;
  /**
   * Receives one line per HTTP request and WebSocket open/close/refusal (method, path, status,
   * error type, duration). Never tokens, keys, signatures or user ids. Default: silent.
   */
  logger?: (line: string) => void;
  /**
   * Chat logs reach their destinations this many milliseconds after the message or event: one
   * number (0-3600000) for every destination, or by destination (`{ s3, cloudWatchLogs,
   * firehose }`, the others 0). Default 0. AWS averages 10 s for CloudWatch Logs and Firehose and
   * 5 minutes for S3: pass {@link AWS_LOG_DELIVERY_DELAYS_MS} to reproduce that lag.
   * {@link LocalFaults.delayLogDelivery} changes it for a while, {@link LocalFaults.releaseLogDelivery}
   * delivers what waits.
   */
  logDeliveryDelayMs?: number | LocalLogDeliveryDelays;
  /**
   * Folder for S3 chat logs: each delivery is a gzip file of one JSON record per line at
   * `{logFolder}/{bucketName}/AWSLogs/{account}/IVSChatLogs/1.0/{region}/room_{roomId}/{YYYY}/{MM}/{DD}/{HH}/{account}_IVSChatLogs_1.0_{region}_room_{roomId}_{YYYYMMDDTHHmmZ}_{8 hex}.log.gz`
   * (the `AWSLogs/…/room_{roomId}/` prefix and the file name's start are IVS's; the date
   * folders and the file name's tail are not published and are a guess). Default none: S3
   * deliveries are only listed by {@link LocalIvsChat.logDeliveries}.
   */
  logFolder?: string;
}

/** Chat-log delivery delays by destination, in milliseconds (0-3600000 each; a missing one is 0). */
export interface LocalLogDeliveryDelays {
  s3?: number;
  cloudWatchLogs?: number;
  firehose?: number;
}

/** One chat-log record, as IVS writes it (one line of JSON in CloudWatch Logs, S3 and Firehose). */
export interface LocalChatLogRecord {
  /** RFC 3339 UTC with milliseconds: when IVS received the message (its `SendTime`, to the millisecond). */
  event_timestamp: string;
  type: 'MESSAGE' | 'EVENT';
  /** `1.0` */
  version: string;
  /** The MESSAGE or EVENT frame exactly as clients received it. */
  payload: Record<string, unknown>;
}

/** What one chat-log delivery wrote (see {@link LocalIvsChat.logDeliveries}). */
export interface LocalLogDelivery {
  destination: 's3' | 'cloudWatchLogs' | 'firehose';
  /** Bucket, log group or delivery stream name. */
  name: string;
  loggingConfigurationArn: string;
  roomArn: string;
  /** The records delivered, each one line of JSON ({@link LocalChatLogRecord}). */
  records: string[];
  /** CloudWatch Logs: `aws/IVSChatLogs/1.0/room_{roomId}`. */
  logStreamName?: string;
  /** S3: the object key. */
  key?: string;
  /** S3: the file written under {@link LocalIvsChatOptions.logFolder}. */
  file?: string;
}

/** The event a review handler gets (IVS's contract). */
export interface LocalReviewEvent {
  Content: string;
  MessageId: string;
  RoomArn: string;
  Attributes: Record<string, string>;
  Sender: { Attributes: Record<string, string>; UserId: string; Ip: string };
}

/** Review handler configuration: `uri` names a function of {@link LocalIvsChatOptions.lambdas} (or of `setLambda`). */
export interface LocalMessageReviewHandler {
  /** Lambda ARN, or `''`. */
  uri?: string;
  /** `ALLOW` (default) or `DENY`. */
  fallbackResult?: 'ALLOW' | 'DENY';
}

/** Settings of {@link LocalIvsChat.createRoom}, the same members and limits as CreateRoom. */
export interface LocalRoomOptions {
  /** Room name: 0-128 characters of `[a-zA-Z0-9-_]`. Default `''`. */
  name?: string;
  /** Longest message in code points, 1-500. Default 500. */
  maximumMessageLength?: number;
  /** Messages per second accepted from all clients of the room together, 1-100. Default 10. */
  maximumMessageRatePerSecond?: number;
  /** Stored only: messages are never sent for review locally. */
  messageReviewHandler?: LocalMessageReviewHandler;
  /** At most 50 tags; keys 1-128, values 0-256 characters. */
  tags?: Record<string, string>;
  /**
   * Up to 3 logging-configuration ARNs (CreateLoggingConfiguration); each must exist (else 404
   * `ResourceNotFoundException`). Every MESSAGE and EVENT of the room is then logged to them.
   */
  loggingConfigurationIdentifiers?: string[];
}

/** A room as CreateRoom / GetRoom return it. */
export interface LocalRoom {
  /** `arn:aws:ivschat:{region}:{account}:room/{id}`: use it as `roomIdentifier`. */
  arn: string;
  /** 12 letters or digits. */
  id: string;
  /** Room name (`''` when none was given). */
  name: string;
  /** Creation time, RFC 3339 UTC with milliseconds. */
  createTime: string;
  /** Last update time, RFC 3339 UTC with milliseconds. */
  updateTime: string;
  /** Longest message in code points. */
  maximumMessageLength: number;
  /** Room-wide message rate limit per second. */
  maximumMessageRatePerSecond: number;
  /** Present when one was configured. */
  messageReviewHandler?: Required<LocalMessageReviewHandler>;
  /** Tags of the room. */
  tags: Record<string, string>;
  /** Logging configurations attached: the room's messages and events are logged to them. */
  loggingConfigurationIdentifiers: string[];
}

/** Which connections a fault applies to; every connection when both are absent. */
export interface LocalConnectionFilter {
  /** Only connections opened with a token for this user id. */
  userId?: string;
  /** Only connections to this room (its ARN). */
  roomIdentifier?: string;
}

/** What {@link LocalFaults.failCreateChatToken} makes the next calls do. */
export interface CreateChatTokenFailureOptions {
  /** How many of the next CreateChatToken calls fail. Default 1. */
  count?: number;
  /** HTTP status, 400-599. Default 500. */
  status?: number;
  /** Error type sent in `X-Amzn-ErrorType` (what SDKs turn into the error name). Default `InternalServerException`. */
  errorType?: string;
  /** Body `message`. Default: a message naming the injected fault. */
  message?: string;
  /** When true the calls get no answer at all (the caller must time out). Cut off by `reset()` or `close()`. */
  hang?: boolean;
}

/**
 * Fault controls. Also reachable without signing as `POST /_local/faults/<name>` with a JSON body
 * holding the named arguments (see each method), answered with `{ count }` or `{}` (400 with
 * `{ message }` for bad arguments).
 */
export interface LocalFaults {
  /**
   * Abruptly closes matching connections (TCP destroyed, no close frame; clients see code 1006).
   * Admin route body: `{ userId?, roomIdentifier? }` → `{ count }`.
   * @returns how many connections were dropped
   */
  dropConnections(filter?: LocalConnectionFilter): number;
  /**
   * Delays every outbound WebSocket frame sent from now on by `ms` (0 turns it off). Order is kept.
   * Admin route body: `{ ms }`.
   */
  delayFrames(ms: number): void;
  /**
   * `true`: hold every outbound frame and pong (the server seems to stop answering; requests are
   * still processed). `false`: send what was held, in order. Admin route body: `{ stalled }`.
   */
  stall(stalled: boolean): void;
  /**
   * Sends raw text (e.g. malformed JSON) as a text frame to matching live connections, in order
   * with other frames. Admin route body: `{ text, userId?, roomIdentifier? }` → `{ count }`.
   * @returns how many connections it was sent to
   */
  injectFrame(text: string, filter?: LocalConnectionFilter): number;
  /**
   * The next `count` CreateChatToken calls whose signature is valid fail with `status` and
   * `errorType` (or hang). They still count in `stats().createChatTokenCalls`.
   * Admin route body: the options object.
   */
  failCreateChatToken(options?: CreateChatTokenFailureOptions): void;
  /**
   * Chat logs recorded from now on are delivered `ms` later (0-3600000, or by destination),
   * until `reset()` restores {@link LocalIvsChatOptions.logDeliveryDelayMs}. Admin route body: `{ ms }`.
   */
  delayLogDelivery(ms: number | LocalLogDeliveryDelays): void;
  /** Delivers every chat-log record still waiting, now. Admin route body: none → `{ count }`. @returns how many */
  releaseLogDelivery(): number;
  /**
   * Puts a logging configuration into one of the service's states (`CREATING`, `CREATE_FAILED`,
   * `UPDATING`, `UPDATE_FAILED`, `DELETING`, `DELETE_FAILED`, `ACTIVE`), as the service's own
   * workflows would: only an ACTIVE configuration logs; Update refuses (409) one that is not
   * ACTIVE. Admin route body: `{ arn, state }`.
   */
  setLoggingConfigurationState(arn: string, state: string): void;
  /** Turns every fault off: no delay, no stall, no pending failures; frames held by a stall or delay are sent at once, in order; hung calls are cut off; waiting chat logs are delivered and the log delay is the setting again. */
  reset(): void;
}

/** Counters since start (`GET /_local/stats` returns the same object). */
export interface LocalIvsChatStats {
  /** Every `POST /CreateChatToken` received, whatever its outcome (bad signature, injected failure, ...). */
  createChatTokenCalls: number;
  /** Chat tokens actually issued. */
  tokensIssued: number;
  /** Every control-plane request (admin routes excluded). */
  controlPlaneRequests: number;
  /** WebSocket connections accepted since start. */
  connectionsOpened: number;
  /** WebSocket upgrades refused (missing, unknown, used or expired token, deleted room). */
  connectionsRefused: number;
  /** WebSocket connections open now. */
  openConnections: number;
  /** MESSAGE broadcasts (once per message, not per recipient). */
  messagesSent: number;
  /** Messages given to a room's review handler (see {@link LocalIvsChatOptions.lambdas}). */
  messagesReviewed: number;
  /** EVENT broadcasts (once per event). */
  eventsSent: number;
  /** ERROR frames sent. */
  errorsSent: number;
  /** Rooms that exist now. */
  rooms: number;
  /** Chat-log records waiting for the delivery delay (one per destination). */
  logRecordsPending: number;
  /** Chat-log records delivered since start (one per destination). */
  logRecordsDelivered: number;
}

/** A running local IVS Chat server. */
export interface LocalIvsChat {
  /** `http://host:port`: pass as `endpoint` to `IvschatClient` (or any SigV4 client). */
  controlPlaneUrl: string;
  /** `ws://host:port`: the messaging URL (`regionOrUrl` of the official ChatRoom). */
  messagingUrl: string;
  /** Bound interface. */
  host: string;
  /** Bound port. */
  port: number;
  /** Region to sign for. */
  region: string;
  /** Account id in room ARNs. */
  accountId: string;
  /** Token lifetime in service seconds. */
  tokenLifetimeSeconds: number;
  /** The time scale in effect. */
  timeScale: number;
  /** The credentials requests must be signed with (a copy). */
  credentials: LocalCredentials;
  /**
   * Creates a room directly (no HTTP), with CreateRoom's checks: rejects with an error whose
   * `type` is `ValidationException` (and `members.fieldList`) for bad settings.
   */
  createRoom(options?: LocalRoomOptions): Promise<LocalRoom>;
  /** Fault controls for tests. */
  faults: LocalFaults;
  /** Registers (or, with `undefined`, removes) the review function behind a Lambda ARN. */
  setLambda(arn: string, fn: ((event: LocalReviewEvent) => unknown) | undefined): void;
  /** Current counters. */
  stats(): LocalIvsChatStats;
  /**
   * What chat logging delivered, one entry per delivery (oldest first, the last 10,000): the
   * way to see Firehose deliveries, and S3 ones without a {@link LocalIvsChatOptions.logFolder}.
   */
  logDeliveries(): LocalLogDelivery[];
  /**
   * Closes every WebSocket (close code 1001, cut off after 0.5 s), hung requests, timers and the
   * listener, so the process can exit. Safe to call twice.
   */
  close(): Promise<void>;
}

/** The average chat-log delays the IVS Chat user guide gives: `{ s3: 300000, cloudWatchLogs: 10000, firehose: 10000 }`. */
export declare const AWS_LOG_DELIVERY_DELAYS_MS: Readonly<{ s3: 300000; cloudWatchLogs: 10000; firehose: 10000 }>;
/** `us-east-1`. */
export declare const DEFAULT_REGION: 'us-east-1';
/** `123456789012`. */
export declare const DEFAULT_ACCOUNT_ID: '123456789012';
/** 300 (seconds). */
export declare const DEFAULT_TOKEN_LIFETIME_SECONDS: 300;
/** 1 MiB: larger control-plane bodies get 413. */
export declare const MAX_REQUEST_BODY_BYTES: number;

/**
 * The host names a loopback server answers for (what `startLocalIvsChat` checks `Host` against,
 * for an app's own server beside it): `localhost`, `127.0.0.1`, `::1`, `boundHost` unless it is
 * a wildcard (`0.0.0.0`, `::`), and `extra` (names or IP addresses, no scheme or port; IPv6 with
 * or without brackets), all lower case, IPv6 without brackets. Refusing every other `Host`
 * keeps a DNS-rebinding page out.
 *
 * A malformed name in `extra` throws a `TypeError` whose message is `describe(index, name)`
 * (`name` JSON-quoted), so that it can name where the list came from.
 */
export declare function hostAllowList(
  boundHost: string,
  extra: readonly string[],
  describe: (index: number, name: string) => string,
): Set<string>;

/**
 * Whether a `Host` header (with or without a port) names one of `allowed`, from
 * {@link hostAllowList}. A missing or empty header is not allowed.
 */
export declare function isAllowedHost(host: string | undefined, allowed: Set<string>): boolean;

/**
 * Starts the local server and resolves once it listens (well under a second).
 *
 * Control plane: `POST /CreateChatToken`, `/CreateRoom`, `/GetRoom`, `/UpdateRoom`,
 * `/ListRooms`, `/DeleteRoom`, `/DeleteMessage`, `/DisconnectUser`, `/SendEvent`,
 * `/CreateLoggingConfiguration`, `/GetLoggingConfiguration`, `/UpdateLoggingConfiguration`,
 * `/ListLoggingConfigurations`, `/DeleteLoggingConfiguration`.
 * Chat logs to a CloudWatch Logs destination are read on the same port with the CloudWatch Logs
 * calls `FilterLogEvents`, `GetLogEvents`, `DescribeLogStreams` and `DescribeLogGroups` (point
 * `CloudWatchLogsClient` at `controlPlaneUrl`; requests are signed for `logs`): stream
 * `aws/IVSChatLogs/1.0/room_{roomId}` in the configuration's log group, which exists from the
 * moment a configuration names it (at AWS the app makes it).
 * Messaging: `new WebSocket(messagingUrl, token)`; a token opens one connection, before its
 * `tokenExpirationTime`; the connection gets an ERROR 401 frame and a clean close (1000) at its
 * `sessionExpirationTime`.
 *
 * A bad option rejects with `InvalidOptionError` naming it (`option`), unknown options included.
 */
export declare function startLocalIvsChat(options?: LocalIvsChatOptions): Promise<LocalIvsChat>;
