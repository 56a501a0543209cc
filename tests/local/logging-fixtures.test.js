// The logging-configuration fixtures (tests/fixtures/logging-configuration-requests.json: the
// admin module's rules, which GoogleTest and the JS tests read) replayed against the local server
// as signed HTTP requests, so that the two sets of rules agree: a valid case is accepted (the
// fixtures' configuration ARN replaced by one made for the case), an invalid one refused with a
// ValidationException whose fieldList names the same members with problems of the same kinds.
// Unknown members are the core's own rule (IVS publishes none; the local server ignores them, as
// shared-fixtures.test.js explains): their errors are left out, and a case left with none is
// skipped, saying so.
// The room fixtures (room-requests.json) are replayed too, at the member level only: the local
// server words some room problems so that their kind cannot be read off the message (an enum
// checked as a pattern, a list item or a map key named by its member), so there the members
// named must agree, not the kinds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalIvsChat } from '../../js/local/index.js';
import { expandFixture, readFixture } from '../js/helpers.js';
import { signedRequest } from './helpers.js';

const FIXTURE_ARN = 'arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEf123456';

/**
 * The kind of problem a local-server fieldList message states, named as the core's codes. Every
 * message must be of exactly one kind.
 */
const MESSAGE_KINDS = {
  REQUIRED: /must not be null|must set exactly one of .*, got none$/,
  TOO_SHORT: /length greater than or equal/,
  TOO_LONG: /length less than or equal|values must have length between 0 and/,
  PATTERN: /regular expression pattern/,
  TYPE: /must be an? (string|integer|list|map|structure)\b|must set exactly one of .*, got (?!none$)/,
  RANGE: /value (greater|less) than or equal/,
  TOO_LARGE: /at most \d+ entries/,
};

/** @param {string} message */
function kindOf(message) {
  const kinds = Object.entries(MESSAGE_KINDS).filter(([, pattern]) => pattern.test(message)).map(([kind]) => kind);
  assert.equal(kinds.length, 1, `a fieldList message of exactly one kind: ${message}`);
  return kinds[0];
}

/** `destinationConfiguration.s3.bucketName`, `tags.k` -> the request member. */
const memberOf = (/** @type {string} */ field) => field.split(/[.[]/)[0];

/** Members in name order, each with the kinds of its problems. */
function byMember(/** @type {Array<{ member: string, kind: string }>} */ problems) {
  /** @type {Map<string, Set<string>>} */
  const members = new Map();
  for (const { member, kind } of problems) {
    if (!members.has(member)) members.set(member, new Set());
    members.get(member)?.add(kind);
  }
  return [...members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([member, kinds]) => ({ member, kinds: [...kinds].sort() }));
}

/**
 * A test per fixture, given the errors the server checks (`kept`: all but unknown members). A
 * fixture whose only errors are unknown members is skipped: that is the core's own rule.
 * @param {any[]} fixtures
 * @param {(fixture: any, kept: Array<{ field: string, code: string }>) => Promise<void>} run
 */
function serverCases(fixtures, run) {
  for (const fixture of fixtures) {
    const kept = fixture.errors.filter((/** @type {{ code: string }} */ error) => error.code !== 'UNKNOWN_FIELD');
    const name = `${fixture.operation}: ${fixture.name}`;
    if (fixture.errors.length > 0 && kept.length === 0) {
      test(name, { skip: "not a server's rule: unknown members are the core's own rule (IVS publishes none)" }, () => {});
    } else {
      test(name, () => run(fixture, kept));
    }
  }
}

/**
 * Every string equal to the fixtures' ARN becomes `arn`.
 * @param {unknown} value
 * @param {string} arn
 * @returns {unknown}
 */
function withArn(value, arn) {
  if (value === FIXTURE_ARN) return arn;
  if (Array.isArray(value)) return value.map((item) => withArn(item, arn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withArn(item, arn)]));
  return value;
}

const cases = readFixture('logging-configuration-requests.json').cases;
const roomCases = readFixture('room-requests.json').cases;

describe('the logging-configuration fixtures against the local server', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  before(async () => {
    server = await startLocalIvsChat({ region: 'us-west-2', accountId: '123456789012' });
  });
  after(async () => {
    await server.close();
  });

  /** A configuration made for one case, so that Update and Delete cases do not meet. */
  async function freshConfiguration() {
    const made = await signedRequest(server, '/CreateLoggingConfiguration', { destinationConfiguration: { s3: { bucketName: 'replay-bucket' } } });
    assert.equal(made.status, 200, made.text);
    assert.equal(made.json.arn.length, FIXTURE_ARN.length);
    return /** @type {string} */ (made.json.arn);
  }

  test('the fixtures cover every operation, valid and invalid', () => {
    for (const operation of ['CreateLoggingConfiguration', 'GetLoggingConfiguration', 'ListLoggingConfigurations', 'UpdateLoggingConfiguration', 'DeleteLoggingConfiguration']) {
      assert.ok(cases.some((c) => c.operation === operation && c.errors.length === 0), `${operation} valid`);
      assert.ok(cases.some((c) => c.operation === operation && c.errors.length > 0), `${operation} invalid`);
    }
  });

  serverCases(cases, async (fixture, kept) => {
    const input = expandFixture(fixture.input);
    const text = JSON.stringify(input);
    const body = text.includes(FIXTURE_ARN) && kept.length === 0 ? withArn(input, await freshConfiguration()) : input;
    const response = await signedRequest(server, `/${fixture.operation}`, body);
    if (kept.length === 0 && /logging-configuration\//.test(text) && !text.includes(FIXTURE_ARN)) {
      // A valid ARN of a configuration that does not exist here: past validation, to the lookup.
      assert.equal(response.status, 404, response.text);
      assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
      return;
    }
    if (kept.length === 0) {
      assert.equal(response.status, fixture.operation === 'DeleteLoggingConfiguration' ? 204 : 200, response.text);
      if (fixture.operation === 'CreateLoggingConfiguration' || fixture.operation === 'UpdateLoggingConfiguration') {
        const asked = /** @type {Record<string, unknown>} */ (body);
        if (asked.destinationConfiguration) assert.deepEqual(response.json.destinationConfiguration, asked.destinationConfiguration);
        if (typeof asked.name === 'string') assert.equal(response.json.name, asked.name);
      }
      return;
    }
    assert.equal(response.status, 400, response.text);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal(response.json.reason, 'FIELD_VALIDATION_FAILED', response.text);
    const expected = byMember(kept.map((/** @type {{ field: string, code: string }} */ error) => ({ member: memberOf(error.field), kind: error.code })));
    const actual = byMember(response.json.fieldList.map((/** @type {{ name: string, message: string }} */ f) => ({ member: memberOf(f.name), kind: kindOf(f.message) })));
    assert.deepEqual(actual, expected, response.text);
  });

  serverCases(roomCases, async (fixture, kept) => {
    const input = /** @type {Record<string, unknown>} */ (expandFixture(fixture.input));
    const response = await signedRequest(server, `/${fixture.operation}`, input);
    if (kept.length === 0) {
      if (typeof input.nextToken === 'string' && input.nextToken !== '') {
        // Tokens are the server's own: one it did not issue is refused as a whole (OTHER).
        assert.equal(response.status, 400, response.text);
        assert.equal(response.json.reason, 'OTHER', response.text);
      } else if (/(room|logging-configuration)\//.test(JSON.stringify(input))) {
        // ARNs of rooms or logging configurations that do not exist here: past validation, to the lookup.
        assert.equal(response.status, 404, response.text);
      } else {
        assert.equal(response.status, 200, response.text);
      }
      return;
    }
    assert.equal(response.status, 400, response.text);
    if (kept.every((/** @type {{ field: string }} */ error) => error.field === 'request')) {
      assert.equal(response.json.reason, 'OTHER', response.text);
      return;
    }
    assert.equal(response.json.reason, 'FIELD_VALIDATION_FAILED', response.text);
    const members = (/** @type {Array<{ field?: string, name?: string }>} */ list) => [...new Set(list.map((item) => memberOf(item.field ?? item.name ?? '')))].sort();
    assert.deepEqual(members(response.json.fieldList), members(kept), response.text);
  });
});
