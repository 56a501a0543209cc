// The one reader of option tables (js/option-table.js): how every options object of the package
// is refused, whatever the table.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InvalidOptionError } from '../../js/errors.js';
import { atLeast, derived, flag, positive, readOptions, readOwnOptions, wholeNumber } from '../../js/option-table.js';

const OWNER = { owner: 'thing', notAnObject: 'thing needs an options object.' };
const TABLE = {
  wait: positive(10, 'milliseconds'),
  tries: wholeNumber(3, { min: 0, infinity: true }),
  on: flag(true),
  /** @param {unknown} value @param {import('../../js/option-table.js').OptionContext} context */
  after: (value, { settings }) => (value === undefined ? settings.wait : value),
};

/** @param {string} option */
const refused = (option) => (/** @type {any} */ error) => {
  assert.ok(error instanceof InvalidOptionError, String(error));
  assert.equal(error.code, 'INVALID_OPTION');
  assert.equal(error.option, option);
  return true;
};

test('defaults fill in, in the order of the table, each reader seeing the ones before it', () => {
  assert.deepEqual(readOptions(TABLE, {}, OWNER), { wait: 10, tries: 3, on: true, after: 10 });
  assert.deepEqual(readOptions(TABLE, { wait: 5, tries: Infinity, on: false }, OWNER), { wait: 5, tries: Infinity, on: false, after: 5 });
});

test('an unknown option is refused by name, before any value is read, with the known ones listed', () => {
  assert.throws(() => readOptions(TABLE, { wiat: 5, tries: -1 }, OWNER), (error) => {
    refused('wiat')(error);
    assert.equal(error.message, 'Unknown thing option `wiat`: the options are wait, tries, on, after.');
    return true;
  });
});

test('a derived setting is made from the settings before it, and is no option: given, it is refused as unknown and never listed', () => {
  const table = { ...TABLE, total: derived((settings) => Number(settings.wait) * Number(settings.tries)) };
  assert.equal(readOptions(table, { wait: 5, tries: 4 }, OWNER).total, 20);
  assert.throws(() => readOptions(table, { total: 1 }, OWNER), (error) => {
    refused('total')(error);
    assert.equal(error.message, 'Unknown thing option `total`: the options are wait, tries, on, after.');
    return true;
  });
  assert.deepEqual(readOwnOptions(table, { total: 1 }, OWNER).others, { total: 1 });
});

test('options that are not an object (arrays included) are refused as `options`', () => {
  for (const options of [null, undefined, 'x', 3, []]) assert.throws(() => readOptions(TABLE, options, OWNER), refused('options'), String(options));
});

test('a bad value is refused naming its option', () => {
  assert.throws(() => readOptions(TABLE, { wait: 0 }, OWNER), refused('wait'));
  assert.throws(() => readOptions(TABLE, { wait: Infinity }, OWNER), refused('wait'));
  assert.throws(() => readOptions(TABLE, { tries: 1.5 }, OWNER), refused('tries'));
  assert.throws(() => readOptions(TABLE, { on: 'yes' }, OWNER), refused('on'));
  assert.throws(() => readOptions({ port: wholeNumber(0, { min: 0, max: 9 }) }, { port: 10 }, OWNER), refused('port'));
});

test('a nested table names its members under its path', () => {
  const nested = { owner: 'backoff', path: 'backoff', notAnObject: '`backoff` must be an object.' };
  const table = { multiplier: atLeast(2, 1) };
  assert.throws(() => readOptions(table, { multiplier: 0.5 }, nested), refused('backoff.multiplier'));
  assert.throws(() => readOptions(table, { nope: 1 }, nested), refused('backoff.nope'));
  assert.throws(() => readOptions(table, 'x', nested), refused('backoff'));
});

test('readOwnOptions reads its table and hands the other options back unread', () => {
  const { settings, others } = readOwnOptions({ on: flag(true) }, { on: false, regionOrUrl: 'us-east-1', nope: 1 }, OWNER);
  assert.deepEqual(settings, { on: false });
  assert.deepEqual(others, { regionOrUrl: 'us-east-1', nope: 1 });
});
