// A runtime upgrade on a running four-validator network: root (sudo, //Alice on `local`)
// applies the next runtime with `system.setCode`; its migration runs once, blocks keep being
// authored and finalized, and a stock @polkadot/api follows the new version and metadata.
//
// Usage: node upgrade.mjs <ws> <path of the next runtime's wasm>
import { connect, failer, sender } from './lib.mjs';
import { readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';

const [url, wasmPath] = process.argv.slice(2);
const { fail, done } = failer('upgrade', 600);
const { api, keyring } = await connect(url);
const send = sender(api);
const alice = keyring.addFromUri('//Alice');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const finalized = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

const before = api.runtimeVersion.specVersion.toNumber();
const versionBefore = (await api.query.validatorCredit.palletVersion()).toNumber();
if (versionBefore !== 0) fail(`validatorCredit's storage version is ${versionBefore} before the upgrade`);
const code = u8aToHex(readFileSync(wasmPath));
console.log(`spec ${before}; applying ${code.length / 2 - 1} bytes of runtime`);

const upgrade = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(code), { refTime: 0, proofSize: 0 });
const events = await send(upgrade, alice);
// The including block's events are read with the metadata the API held, which the new code may
// already have replaced, so they can come back empty; the version checks below are the proof.
const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
if (sudid && sudid.event.data[0].isErr) fail(`setCode failed: ${sudid.event.data[0].toString()}`);
if (events.length && !events.some(({ event }) => api.events.system.CodeUpdated.is(event))) {
  fail(`no CodeUpdated: ${events.map(({ event }) => `${event.section}.${event.method}`)}`);
}
const upgradedAt = await finalized();

// The next block runs the migration; the API picks up the new version and metadata.
for (let i = 0; api.runtimeVersion.specVersion.toNumber() !== before + 1; i++) {
  if (i > 60) fail(`the API still reports spec ${api.runtimeVersion.specVersion}`);
  await sleep(2000);
}
// The API switches when the block carrying the new code is imported; the migration runs in the
// block after it.
const lastUpgrade = async () =>
  (await api.query.system.lastRuntimeUpgrade()).unwrap().specVersion.toNumber();
for (let i = 0; (await lastUpgrade()) !== before + 1; i++) {
  if (i > 30) fail(`lastRuntimeUpgrade is ${await lastUpgrade()}`);
  await sleep(2000);
}
const versionAfter = (await api.query.validatorCredit.palletVersion()).toNumber();
if (versionAfter !== 1) fail(`the migration did not run: storage version ${versionAfter}`);
console.log(`spec ${before} -> ${before + 1}; validatorCredit storage version 0 -> 1`);

// Blocks continue and a transaction signed against the new runtime lands.
const bob = keyring.addFromUri('//Bob');
await send(api.tx.balances.transferKeepAlive(bob.address, 10n ** 18n), alice);
for (let i = 0; (await finalized()) < upgradedAt + 5; i++) {
  if (i > 60) fail(`finality stalled at ${await finalized()} after the upgrade at ${upgradedAt}`);
  await sleep(2000);
}
done();
console.log('the runtime upgrade applied, migrated, and the network goes on');
process.exit(0);
