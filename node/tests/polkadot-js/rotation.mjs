// R²S on the `local` network: Dave's node never runs, so he authors no blocks and files no probe
// reports; his credit falls below the minimum and the election leaves him out, while blocks
// keep coming.
//
// Usage: node rotation.mjs <ws of a validator>
import { connect, failer } from './lib.mjs';

const [url] = process.argv.slice(2);
const { fail, done } = failer('rotation', 900);
const { api, keyring } = await connect(url);
const dave = keyring.addFromUri('//Dave').address;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const minCredit = api.consts.validatorCredit.minCredit.toNumber();

const validators = async () => (await api.query.session.validators()).map((v) => v.toString());
let credit;
for (let i = 0; ; i++) {
  if (i > 300) fail(`Dave is still a validator (credit ${credit})`);
  const entry = await api.query.validatorCredit.credits(dave);
  credit = entry.isSome ? entry.unwrap().toNumber() : 1000;
  if (!(await validators()).includes(dave)) break;
  await sleep(3000);
}
if (credit >= minCredit) fail(`Dave left the set with credit ${credit} ≥ ${minCredit}`);
console.log(`Dave rotated out with credit ${credit} (minimum ${minCredit}); validators: ${await validators()}`);

// Blocks keep being finalized by the four that remain.
const finalized = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
const before = await finalized();
for (let i = 0; (await finalized()) < before + 3; i++) {
  if (i > 60) fail(`finality stalled at ${before}`);
  await sleep(3000);
}
done();
console.log('a low-credit validator was rotated out and blocks continue');
process.exit(0);
