// A network built from an operator's config file (`cess-node network-spec`): its validators are
// the config's stashes, root is the config's multisig, and no well-known development account
// holds anything.
//
// Usage: node network_spec.mjs <ws> <config.json>
import { connect, failer } from './lib.mjs';
import { encodeMultiAddress, decodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { readFileSync } from 'node:fs';

const [url, configPath] = process.argv.slice(2);
const { fail, done } = failer('network spec', 120);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const { api, keyring } = await connect(url);
const hex = (address) => u8aToHex(decodeAddress(address));

const chain = (await api.rpc.system.chain()).toString();
if (chain !== config.name) fail(`chain name ${chain}, not ${config.name}`);
const validators = (await api.query.session.validators()).map((v) => hex(v.toString())).sort();
const expected = config.validators.map((v) => hex(v.stash)).sort();
if (JSON.stringify(validators) !== JSON.stringify(expected)) {
  fail(`validators ${validators} are not the config's ${expected}`);
}
const { threshold, signatories } = config.root.multisig;
const root = hex(encodeMultiAddress(signatories, threshold));
const sudo = hex((await api.query.sudo.key()).unwrap().toString());
if (sudo !== root) fail(`root is ${sudo}, not the config's multisig ${root}`);
for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
  const who = keyring.addFromUri(`//${name}`);
  const { free } = (await api.query.system.account(who.address)).data;
  if (free.toBigInt() !== 0n) fail(`//${name} holds ${free} on a network built from a config`);
}
console.log(`${chain}: validators and root from the config; no development account is funded`);
done();
process.exit(0);
