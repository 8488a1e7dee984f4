// The storage market from a stock @polkadot/api (no type bundle): metadata docs of the storage
// pallets, miner registration, a space lease, an upload declaration whose placement is read back
// through the FileBankApi runtime API, and the miners' transfer reports with the owner's signed
// acceptance until the file is Active.
//
// Usage: node storage_market.mjs ws://127.0.0.1:9944 '[{"uri":"//Bob"},…]'
import { randomAsU8a } from '@polkadot/util-crypto';
import { connect, declare, failer, registerMiners, reportAll, sender } from './lib.mjs';

const url = process.argv[2];
const miners = JSON.parse(process.argv[3]);
const { fail, done } = failer('storage-market e2e', 300);
const { api, keyring } = await connect(url);
const alice = keyring.addFromUri('//Alice');

// Every call, event and error of the storage pallets carries its doc line in the metadata.
for (const name of ['Sminer', 'FileBank', 'Audit', 'StorageRewards']) {
  const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.name.eq(name));
  if (!pallet) fail(`pallet ${name} missing from metadata`);
  for (const kind of ['calls', 'events', 'errors']) {
    const variants = api.registry.lookup.getSiType(pallet[kind].unwrap().type).def.asVariant.variants;
    for (const v of variants) {
      if (v.docs.length === 0 || v.docs.join('').trim() === '') fail(`${name} ${kind} ${v.name} has no docs`);
    }
    console.log(`${name}: ${variants.length} ${kind}, all documented`);
  }
}
if (!api.call.fileBankApi?.fileInfo || !api.call.sminerApi?.minerInfo) fail('runtime APIs missing');

const send = sender(api);
const run = (label, promise) => promise.catch((e) => fail(`${label}: ${e.message}`));

// Miners register with their peer ids, addresses and collateral.
const pairs = await run('register', registerMiners(api, keyring, send, miners));
const counts = await api.call.sminerApi.minerCounts();
console.log(`miners registered: ${counts.toString()}`);

// Alice leases 10 GiB for 30 days at the quoted price.
const quote = await api.call.fileBankApi.quote(10, 30);
const bought = await run('buy_space', send(api.tx.fileBank.buySpace(10, 30), alice));
const ev = bought.find(({ event }) => api.events.fileBank.SpaceBought.is(event));
if (!ev || ev.event.data.cost.toBigInt() !== quote.toBigInt()) fail(`lease cost differs from quote ${quote}`);
console.log(`lease bought for ${quote.toHuman()}`);

// Upload declaration: 40 000 bytes, one segment, profile 2 + 1.
const fileId = randomAsU8a(32);
const columns = await run('upload_declaration', declare(api, send, alice, { id: fileId, size: 40_000, segments: 1, k: 2, m: 1 }));
let info = await api.call.fileBankApi.fileInfo(fileId);
const expected = pairs.map((p) => p.address).sort();
if (JSON.stringify([...columns].sort()) !== JSON.stringify(expected)) fail(`placement ${columns} ≠ miners ${expected}`);
console.log(`placement: ${columns.join(', ')} (state ${info.unwrap().state.toString()})`);

// Each assigned miner reports its column with Alice's acceptance of its tags.
await run('transfer_report', reportAll(api, send, alice, fileId, columns, pairs));
info = (await api.call.fileBankApi.fileInfo(fileId)).unwrap();
if (!info.state.isActive) fail(`file state ${info.state.toString()} after all reports`);
const minerInfo = (await api.call.sminerApi.minerInfo(pairs[0].address)).unwrap();
if (minerInfo.used.toBigInt() !== info.columnBytes.toBigInt()) fail(`miner used ${minerInfo.used} ≠ column ${info.columnBytes}`);
console.log(`file active; ${pairs[0].address} holds ${minerInfo.used.toString()} bytes, credit ${minerInfo.credit}`);

done();
await api.disconnect();
console.log('storage-market e2e: ok');
