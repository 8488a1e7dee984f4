// A stock @polkadot/api (no type bundle) against a running cess-node: read the metadata and the
// chain properties, sign and submit a transfer, and read the balance back from storage.
//
// Usage: node transfer.mjs ws://127.0.0.1:9944
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const fail = (msg) => {
  console.error(`polkadot-js e2e: ${msg}`);
  process.exit(1);
};
const timeout = setTimeout(() => fail('timed out after 120 s'), 120_000);

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), throwOnConnect: true });

// Metadata: every pallet and call is typed without a hand-written type bundle.
const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
for (const wanted of ['System', 'Balances', 'Babe', 'Grandpa', 'Staking', 'Session', 'TransactionPayment']) {
  if (!pallets.includes(wanted)) fail(`pallet ${wanted} missing from metadata: ${pallets.join(', ')}`);
}
console.log(`metadata v${api.runtimeMetadata.version}: ${pallets.length} pallets`);

const props = api.registry.getChainProperties();
const symbol = props.tokenSymbol.unwrap()[0].toString();
const decimals = props.tokenDecimals.unwrap()[0].toNumber();
const ss58 = props.ss58Format.unwrap().toNumber();
if (symbol !== 'TCESS' || decimals !== 18 || ss58 !== 11330) {
  fail(`unexpected chain properties ${symbol} ${decimals} ${ss58}`);
}

const keyring = new Keyring({ type: 'sr25519', ss58Format: ss58 });
const alice = keyring.addFromUri('//Alice');
const dest = keyring.addFromUri(mnemonicGenerate());
const amount = 12_345n * 10n ** 15n;

// Fee estimate through the payment RPC.
const tx = api.tx.balances.transferKeepAlive(dest.address, amount);
const info = await tx.paymentInfo(alice);
console.log(`estimated fee: ${info.partialFee.toHuman()}`);

await new Promise((resolve, reject) => {
  tx.signAndSend(alice, ({ status, dispatchError }) => {
    if (dispatchError) {
      reject(new Error(`transfer failed: ${dispatchError.toString()}`));
    } else if (status.isFinalized) {
      console.log(`transfer finalized in ${status.asFinalized.toHex()}`);
      resolve();
    } else if (status.isInvalid || status.isDropped || status.isUsurped) {
      reject(new Error(`transfer ${status.type}`));
    }
  }).catch(reject);
}).catch((e) => fail(e.message));

const { data } = await api.query.system.account(dest.address);
if (data.free.toBigInt() !== amount) fail(`balance is ${data.free.toString()}, expected ${amount}`);
console.log(`balance read back from storage: ${data.free.toHuman()}`);

clearTimeout(timeout);
await api.disconnect();
console.log('polkadot-js e2e: ok');
