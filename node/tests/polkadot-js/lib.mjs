// Helpers shared by the end-to-end scripts: connecting a stock @polkadot/api, submitting with
// decoded errors, registering miners and storing a file until it is Active.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';

// A `fail(msg)` that prints `<label>: msg` and exits 1, armed with a timeout.
export const failer = (label, seconds) => {
  const fail = (msg) => {
    console.error(`${label}: ${msg}`);
    process.exit(1);
  };
  const timer = setTimeout(() => fail(`timed out after ${seconds} s`), seconds * 1000);
  return { fail, done: () => clearTimeout(timer) };
};

export const connect = async (url) => {
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(url), throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 11330 });
  return { api, keyring };
};

// Submits `tx` signed by `signer`; resolves with the events once in a block, rejects with the
// decoded module error.
export const sender = (api) => (tx, signer) =>
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

const GIB = 1n << 30n;
const COLLATERAL = 4_000n * 10n ** 18n;

// Registers `miners` ([{uri}]) with 10 GiB each; returns their key pairs.
export const registerMiners = async (api, keyring, send, miners) => {
  const pairs = miners.map((m) => keyring.addFromUri(m.uri));
  await Promise.all(
    miners.map((m, i) =>
      send(
        api.tx.sminer.register(pairs[i].address, u8aToHex(randomAsU8a(38)), ['0x047f000001060fa1'], 10n * GIB, COLLATERAL),
        pairs[i],
      ),
    ),
  );
  return pairs;
};

// `owner` declares `file` ({id, size, segments, k, m}); returns the assigned miners' addresses in
// column order.
// The miners are drawn at the start of the block after the declaration's.
export const declare = async (api, send, owner, file) => {
  await send(api.tx.fileBank.uploadDeclaration(file.id, file.size, file.segments, { k: file.k, m: file.m }, 'report.pdf', 'docs', null), owner);
  return untilBlock(api, async () => {
    const info = await api.call.fileBankApi.fileInfo(file.id);
    if (info.isNone) throw new Error('file not found through FileBankApi.file_info');
    const columns = info.unwrap().columns;
    return columns.length ? columns.map(([miner]) => miner.toString()) : undefined;
  });
};

// Each assigned miner reports its column with `owner`'s acceptance of its tags.
export const reportAll = (api, send, owner, fileId, columns, pairs) => {
  const domain = stringToU8a('cess/transfer-acceptance/v1');
  return Promise.all(
    columns.map((address, column) => {
      const miner = pairs.find((p) => p.address === address);
      const le16 = new Uint8Array([column & 0xff, column >> 8]);
      const acceptance = owner.sign(u8aConcat(domain, fileId, le16, miner.publicKey));
      return send(api.tx.fileBank.transferReport(fileId, column, { Sr25519: acceptance }), miner);
    }),
  );
};

// Resolves with the first value `probe()` returns that is not undefined, checking every block.
export const untilBlock = (api, probe) =>
  new Promise((resolve, reject) => {
    let unsub;
    api.rpc.chain
      .subscribeNewHeads(async () => {
        try {
          const value = await probe();
          if (value !== undefined) {
            unsub?.();
            resolve(value);
          }
        } catch (e) {
          reject(e);
        }
      })
      .then((u) => (unsub = u))
      .catch(reject);
  });
