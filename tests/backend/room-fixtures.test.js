// The room and logging-configuration requests' shared fixtures (tests/fixtures/room-requests.json
// and logging-configuration-requests.json, also read by tests/cpp/room_requests_test.cpp) through
// the public functions: a valid request reaches fetch as the exact body, signed for its
// operation's path; an invalid one rejects with RequestValidationError naming each field, and
// fetch is never called.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  createLoggingConfiguration,
  createRoom,
  deleteLoggingConfiguration,
  deleteRoom,
  getLoggingConfiguration,
  getRoom,
  IvsChatRequestError,
  listLoggingConfigurations,
  listRooms,
  RequestValidationError,
  updateLoggingConfiguration,
  updateRoom,
} from 'ivschat-wasm/backend';

import { expandFixture, readFixture } from '../js/helpers.js';

const cases = [...readFixture('room-requests.json').cases, ...readFixture('logging-configuration-requests.json').cases];
const CALLS = {
  CreateRoom: createRoom,
  GetRoom: getRoom,
  ListRooms: listRooms,
  UpdateRoom: updateRoom,
  DeleteRoom: deleteRoom,
  CreateLoggingConfiguration: createLoggingConfiguration,
  GetLoggingConfiguration: getLoggingConfiguration,
  ListLoggingConfigurations: listLoggingConfigurations,
  UpdateLoggingConfiguration: updateLoggingConfiguration,
  DeleteLoggingConfiguration: deleteLoggingConfiguration,
};
const ROOM = { arn: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456', id: 'AbCdEf123456' };
const LOGGING = {
  arn: 'arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbCdEf123456',
  id: 'AbCdEf123456',
  destinationConfiguration: { s3: { bucketName: 'chat-logs' } },
  state: 'ACTIVE',
};

/** What the service answers each operation (DeleteRoom and DeleteLoggingConfiguration: 204, read as {}). */
const ANSWERS = {
  CreateRoom: ROOM,
  GetRoom: ROOM,
  UpdateRoom: ROOM,
  ListRooms: { rooms: [ROOM] },
  DeleteRoom: {},
  CreateLoggingConfiguration: LOGGING,
  GetLoggingConfiguration: LOGGING,
  UpdateLoggingConfiguration: LOGGING,
  ListLoggingConfigurations: { loggingConfigurations: [LOGGING], nextToken: 'Mg' },
  DeleteLoggingConfiguration: {},
};

/** A fetch that records the request and answers as the service would. */
function recordingFetch(operation) {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push({ url, body: init.body, headers: init.headers });
    if (operation.startsWith('Delete')) return new Response(null, { status: 204 });
    return Response.json(ANSWERS[operation]);
  };
  return { fetch, seen };
}

const options = (fetch) => ({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'us-west-2', now: 0, fetch });

for (const item of cases) {
  test(`${item.operation.includes('LoggingConfiguration') ? 'logging-configuration' : 'room'} request: ${item.name}`, async () => {
    const call = CALLS[item.operation];
    const input = expandFixture(item.input);
    const { fetch, seen } = recordingFetch(item.operation);
    if (item.errors.length === 0) {
      const answer = await call(input, options(fetch));
      assert.equal(seen.length, 1);
      assert.equal(new URL(seen[0].url).pathname, `/${item.operation}`);
      assert.match(seen[0].headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/19700101\/us-west-2\/ivschat\/aws4_request, /);
      if (item.body) assert.equal(seen[0].body, item.body);
      assert.deepEqual(answer, ANSWERS[item.operation]);
      return;
    }
    await assert.rejects(call(input, options(fetch)), (error) => {
      assert.ok(error instanceof RequestValidationError);
      assert.equal(error.operation, item.operation);
      assert.deepEqual(error.errors.map(({ field, code }) => ({ field, code })), item.errors);
      return true;
    });
    assert.equal(seen.length, 0, 'nothing was sent');
  });
}

test('room calls: the region comes from the identifier when not given; CreateRoom and ListRooms need one', async () => {
  const { fetch, seen } = recordingFetch('GetRoom');
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  await getRoom({ identifier: 'arn:aws:ivschat:ap-south-1:123456789012:room/AbCdEf123456' }, { credentials, fetch });
  assert.equal(new URL(seen[0].url).host, 'ivschat.ap-south-1.amazonaws.com');
  for (const call of [createRoom, listRooms]) {
    await assert.rejects(call({}, { credentials, fetch }), (error) => error.field === 'region' && /region/.test(error.message));
  }
  assert.equal(seen.length, 1);
});

test('room calls: an answer without the call\'s shape is MALFORMED_RESPONSE; IVS errors are HTTP_ERROR with their type', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const answering = (status, body, headers = {}) => async () => new Response(body, { status, headers });
  await assert.rejects(createRoom({}, { credentials, region: 'us-east-1', fetch: answering(200, '{"name":"x"}') }),
    (error) => error instanceof IvsChatRequestError && error.code === 'MALFORMED_RESPONSE');
  await assert.rejects(listRooms({}, { credentials, region: 'us-east-1', fetch: answering(200, '[]') }),
    (error) => error instanceof IvsChatRequestError && error.code === 'MALFORMED_RESPONSE');
  await assert.rejects(getRoom({ identifier: ROOM.arn }, { credentials, fetch: answering(404, '{"message":"Room not found","resourceId":"x","resourceType":"ROOM"}', { 'x-amzn-errortype': 'ResourceNotFoundException' }) }),
    (error) => error instanceof IvsChatRequestError && error.code === 'HTTP_ERROR' && error.errorType === 'ResourceNotFoundException' && error.awsMessage === 'Room not found');
});

test('logging-configuration calls: the region is the identifier\'s; Create and List need one; answers are checked', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const { fetch, seen } = recordingFetch('GetLoggingConfiguration');
  await getLoggingConfiguration({ identifier: 'arn:aws:ivschat:ap-northeast-2:123456789012:logging-configuration/AbCdEf123456' }, { credentials, fetch });
  assert.equal(new URL(seen[0].url).host, 'ivschat.ap-northeast-2.amazonaws.com');
  assert.match(seen[0].headers.authorization, /\/ap-northeast-2\/ivschat\/aws4_request, /);
  for (const [call, input] of [[createLoggingConfiguration, { destinationConfiguration: { s3: { bucketName: 'chat-logs' } } }], [listLoggingConfigurations, {}]]) {
    await assert.rejects(call(input, { credentials, fetch }), (error) => error.field === 'region' && /logging configuration/.test(error.message));
  }
  assert.equal(seen.length, 1);
  const answering = (status, body) => async () => new Response(body, { status });
  await assert.rejects(listLoggingConfigurations({}, { credentials, region: 'us-east-1', fetch: answering(200, '{"rooms":[]}') }),
    (error) => error instanceof IvsChatRequestError && error.code === 'MALFORMED_RESPONSE' && /list of logging configurations/.test(error.message));
  await assert.rejects(updateLoggingConfiguration({ identifier: LOGGING.arn }, { credentials, fetch: answering(200, '{"name":"x"}') }),
    (error) => error instanceof IvsChatRequestError && error.code === 'MALFORMED_RESPONSE' && /logging configuration ARN/.test(error.message));
});
