// The storage market from a stock @polkadot/api (no type bundle): metadata docs of the storage
// pallets, miner registration, a space lease, an upload declaration whose placement is read back
// through the FileBankApi runtime API, and the miners' transfer reports with the owner's signed
// acceptance until the file is Active.
//
// Usage: node storage_market.mjs ws://127.0.0.1:9944 '[{"uri":"//Bob","key":"0x…","pop":"0x…"},…]'
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';

const url = process.argv[2];
const miners = JSON.parse(process.argv[3]);
const fail = (msg) => {
  console.error(`storage-market e2e: ${msg}`);
  process.exit(1);
};
const timeout = setTimeout(() => fail('timed out after 300 s'), 300_000);

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), throwOnConnect: true });
const keyring = new Keyring({ type: 'sr25519', ss58Format: 11330 });
const alice = keyring.addFromUri('//Alice');

// Every call, event and error of the storage pallets carries its doc line in the metadata.
for (const name of ['Sminer', 'FileBank']) {
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

// Submits `tx` signed by `signer`; resolves with the events once in a block, rejects with the
// decoded module error.
const send = (tx, signer) =>
  new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const { section, name } = api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${section}.${name}`));
        } else reject(new Error(dispatchError.toString()));
      } else if (status.isInBlock) resolve(events);
      else if (status.isInvalid || status.isDropped || status.isUsurped) reject(new Error(status.type));
    }).catch(reject);
  });
const run = (label, promise) => promise.catch((e) => fail(`${label}: ${e.message}`));

// Miners register with their PoDR² keys (made by the test harness) and collateral.
const GIB = 1n << 30n;
const collateral = 4_000n * 10n ** 18n;
const pairs = miners.map((m) => keyring.addFromUri(m.uri));
await run(
  'register',
  Promise.all(
    miners.map((m, i) =>
      send(
        api.tx.sminer.register(pairs[i].address, u8aToHex(randomAsU8a(38)), ['0x047f000001060fa1'], m.key, m.pop, 10n * GIB, collateral),
        pairs[i],
      ),
    ),
  ),
);
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
await run(
  'upload_declaration',
  send(api.tx.fileBank.uploadDeclaration(fileId, 40_000, 1, { k: 2, m: 1 }, 'report.pdf', 'docs'), alice),
);
let info = await api.call.fileBankApi.fileInfo(fileId);
if (info.isNone) fail('file not found through FileBankApi.file_info');
const columns = info.unwrap().columns.map(([miner]) => miner.toString());
const expected = pairs.map((p) => p.address).sort();
if (JSON.stringify([...columns].sort()) !== JSON.stringify(expected)) fail(`placement ${columns} ≠ miners ${expected}`);
console.log(`placement: ${columns.join(', ')} (state ${info.unwrap().state.toString()})`);

// Each assigned miner reports its column with Alice's acceptance of its tags.
const domain = stringToU8a('cess/transfer-acceptance/v1');
await run(
  'transfer_report',
  Promise.all(
    columns.map((address, column) => {
      const miner = pairs.find((p) => p.address === address);
      const le16 = new Uint8Array([column & 0xff, column >> 8]);
      const acceptance = alice.sign(u8aConcat(domain, fileId, le16, miner.publicKey));
      return send(api.tx.fileBank.transferReport(fileId, column, { Sr25519: acceptance }), miner);
    }),
  ),
);
info = (await api.call.fileBankApi.fileInfo(fileId)).unwrap();
if (!info.state.isActive) fail(`file state ${info.state.toString()} after all reports`);
const minerInfo = (await api.call.sminerApi.minerInfo(pairs[0].address)).unwrap();
if (minerInfo.used.toBigInt() !== info.columnBytes.toBigInt()) fail(`miner used ${minerInfo.used} ≠ column ${info.columnBytes}`);
console.log(`file active; ${pairs[0].address} holds ${minerInfo.used.toString()} bytes, credit ${minerInfo.credit}`);

clearTimeout(timeout);
await api.disconnect();
console.log('storage-market e2e: ok');
