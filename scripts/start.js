// `npm start` until the web demo lands: validates a CreateChatToken request in WebAssembly and
// shows what would be sent. Pass your own request as JSON: `npm start -- '{"userId": ...}'`.
import { init } from 'ivschat-wasm';
import { validateWithCore } from '../js/api.js';

const example = {
  roomIdentifier: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456',
  userId: 'alice',
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: 60,
  attributes: { displayName: 'Alice' },
};

const argument = process.argv[2];
let request = example;
if (argument) {
  try {
    request = JSON.parse(argument);
  } catch (error) {
    console.error(`The argument is not JSON: ${error.message}`);
    process.exit(2);
  }
}

const report = validateWithCore(await init(), request);
console.log('CreateChatToken request:', JSON.stringify(request));
if (!report.ok) {
  console.log('\nInvalid — nothing would be sent:');
  for (const error of report.errors) console.log(`  ${error.field.padEnd(28)} ${error.code.padEnd(14)} ${error.message}`);
  process.exit(1);
}
console.log('\nValid. It would be sent as:');
console.log(`  POST https://ivschat.${report.region}.amazonaws.com/CreateChatToken`);
console.log(`  ${report.body}`);
