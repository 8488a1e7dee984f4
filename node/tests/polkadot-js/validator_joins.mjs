// A fifth validator joins the `local` network from its own keys: Eve bonds, sets the session
// keys her node generated (`author_rotateKeysWithOwner`), and a staking proxy (Ferdie) declares her
// intention to validate; she is elected at the next era, authors blocks and is paid. Fees and
// the staking issuance the stakers do not get reach the treasury.
//
// Usage: node validator_joins.mjs <ws of a validator> <ws of Eve's node>
import { connect, failer, sender } from './lib.mjs';
import { WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';

const [url, eveUrl] = process.argv.slice(2);
const { fail, done } = failer('validator joins', 900);
const { api, keyring } = await connect(url);
const send = sender(api);
const eve = keyring.addFromUri('//Eve');
const ferdie = keyring.addFromUri('//Ferdie');
const DOLLARS = 10n ** 18n;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (what, seconds, check) => {
  for (let i = 0; i < seconds; i += 3) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await sleep(3000);
  }
  fail(`timed out after ${seconds} s waiting for ${what}`);
};
// The treasury's account: "modl" ‖ its pallet id "py/trsry", zero-padded.
const TREASURY = '0x6d6f646c70792f74727372790000000000000000000000000000000000000000';
const treasuryFree = async () => (await api.query.system.account(TREASURY)).data.free.toBigInt();
const treasury = await treasuryFree();

// Session keys come from Eve's own node, with a proof that she owns them; only their public
// parts go on chain.
const eveNode = new WsProvider(eveUrl);
await eveNode.isReady;
const { keys, proof } = await eveNode.send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
await eveNode.disconnect();

await send(api.tx.staking.bond(200_000n * DOLLARS, 'Stash'), eve);
await send(api.tx.session.setKeys(keys, proof), eve);
await send(api.tx.proxy.addProxy(ferdie.address, 'Staking', 0), eve);
console.log('Eve bonded, set her keys and made Ferdie her staking proxy');

// The proxy may validate for Eve but not move her funds.
const proxied = async (call) => {
  const events = await send(api.tx.proxy.proxy(eve.address, null, call), ferdie);
  const executed = events.find(({ event }) => api.events.proxy.ProxyExecuted.is(event));
  if (!executed) fail('no ProxyExecuted event');
  return executed.event.data[0];
};
const validated = await proxied(api.tx.staking.validate({ commission: 50_000_000, blocked: false }));
if (!validated.isOk) fail(`validate through the proxy failed: ${validated.toString()}`);
const transfer = await proxied(api.tx.balances.transferKeepAlive(ferdie.address, DOLLARS));
if (transfer.isOk) fail('a staking proxy moved the stash\'s funds');
console.log(`Ferdie validated for Eve; his transfer from her stash was refused: ${transfer.toString()}`);

const isValidator = async () =>
  (await api.query.session.validators()).map((v) => v.toString()).includes(eve.address);
const joinedAt = await until('Eve in the validator set', 600, async () =>
  (await isValidator()) ? (await api.query.staking.activeEra()).unwrap().index.toNumber() : undefined);
console.log(`Eve validates from era ${joinedAt}`);

// She authors: her reward points in the active era.
const era = await until('a block authored by Eve', 300, async () => {
  const active = (await api.query.staking.activeEra()).unwrap().index.toNumber();
  const points = await api.query.staking.erasRewardPoints(active);
  const mine = [...points.individual.entries()].find(([who]) => who.toString() === eve.address);
  return mine && mine[1].toNumber() > 0 ? active : undefined;
});
console.log(`Eve authored blocks in era ${era}`);

await until(`era ${era} to end`, 300, async () =>
  (await api.query.staking.activeEra()).unwrap().index.toNumber() > era);
const events = await send(api.tx.staking.payoutStakers(eve.address, era), eve);
const rewarded = events.find(({ event }) =>
  api.events.staking.Rewarded.is(event) && event.data[0].toString() === eve.address);
if (!rewarded) fail(`no Rewarded event for Eve in era ${era}`);
console.log(`Eve was paid ${rewarded.event.data[2].toBigInt()} for era ${era}`);

const after = await treasuryFree();
if (after <= treasury) fail(`the treasury did not grow: ${treasury} -> ${after}`);
console.log(`treasury ${treasury} -> ${after}`);
done();
console.log('a fifth validator joined, authored and was paid');
process.exit(0);
