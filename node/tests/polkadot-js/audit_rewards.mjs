// Audits and rewards from a stock @polkadot/api (no type bundle). The test harness holds the
// miners' data: this script stores the harness's file with three miners, prints
// `placement <uri,uri,uri>` (column order) and, once the chain challenges Bob and Charlie,
// `challenge <uri> <round> <samples hex>` (SCALE of the sampled leaves) for each; the harness answers on
// stdin with `proof <uri> <hex>` (Charlie's tampered). Then: Bob's proof verifies, Charlie's
// fails and is slashed, and Bob claims his reward share when the era closes.
//
// Usage: node audit_rewards.mjs ws://… '<miners json>' '{"id":"0x…","size":…,"segments":…}'
import readline from 'node:readline';
import { connect, declare, failer, registerMiners, reportAll, sender, untilBlock } from './lib.mjs';

const url = process.argv[2];
const miners = JSON.parse(process.argv[3]);
const file = JSON.parse(process.argv[4]);
const { fail, done } = failer('audit-rewards e2e', 600);
const { api, keyring } = await connect(url);
const alice = keyring.addFromUri('//Alice');
const send = sender(api);
const run = (label, promise) => promise.catch((e) => fail(`${label}: ${e.message}`));

for (const name of ['Audit', 'StorageRewards']) {
  if (!api.runtimeMetadata.asLatest.pallets.find((p) => p.name.eq(name))) fail(`pallet ${name} missing`);
}
if (!api.call.auditApi?.challenge || !api.call.storageRewardsApi?.claimable) fail('runtime APIs missing');

// Store the file: register, lease, declare, report.
const pairs = await run('register', registerMiners(api, keyring, send, miners));
await run('buy_space', send(api.tx.fileBank.buySpace(1, 30), alice));
const columns = await run('upload_declaration', declare(api, send, alice, { ...file, k: 2, m: 1 }));
await run('transfer_report', reportAll(api, send, alice, file.id, columns, pairs));
const uriOf = (address) => miners[pairs.findIndex((p) => p.address === address)].uri;
console.log(`placement ${columns.map(uriOf).join(',')}`);
const [bob, charlie] = pairs;

// Wait until Bob is challenged (the first round that starts after he holds data).
const challenge = await run(
  'challenge',
  untilBlock(api, async () => {
    const c = await api.call.auditApi.challenge(bob.address);
    return c.isSome ? c.unwrap() : undefined;
  }),
);
const round = challenge.round.toNumber();
const charlieChallenge = (await api.call.auditApi.challenge(charlie.address)).unwrap();
if (charlieChallenge.round.toNumber() !== round) fail('Bob and Charlie challenged in different rounds');
console.log(`challenge ${miners[0].uri} ${round} ${challenge.samples.toHex()}`);
console.log(`challenge ${miners[1].uri} ${round} ${charlieChallenge.samples.toHex()}`);

// The harness's proofs.
const proofs = {};
const input = readline.createInterface({ input: process.stdin });
for await (const line of input) {
  const [word, uri, hex] = line.trim().split(' ');
  if (word === 'proof') proofs[uri] = hex;
  if (proofs[miners[0].uri] && proofs[miners[1].uri]) break;
}

const checked = async (pair, hex) => {
  const events = await send(api.tx.audit.submitProof(round, hex), pair);
  const ev = events.find(({ event }) => api.events.audit.ProofChecked.is(event));
  if (!ev) fail('no ProofChecked event');
  return ev.event.data.passed.isTrue;
};
if (!(await run('submit_proof (real)', checked(bob, proofs[miners[0].uri])))) fail("Bob's real proof did not verify");
console.log(`round ${round}: Bob's proof verified`);
const charlieBefore = (await api.call.sminerApi.minerInfo(charlie.address)).unwrap();
if (await run('submit_proof (tampered)', checked(charlie, proofs[miners[1].uri]))) fail("Charlie's tampered proof verified");
const charlieAfter = (await api.call.sminerApi.minerInfo(charlie.address)).unwrap();
if (!(charlieAfter.collateral.toBigInt() < charlieBefore.collateral.toBigInt())) fail('Charlie was not slashed');
if (!(charlieAfter.credit.toNumber() < charlieBefore.credit.toNumber())) fail("Charlie's credit did not drop");
console.log(`round ${round}: Charlie's tampered proof failed; slashed ${charlieBefore.collateral.toBigInt() - charlieAfter.collateral.toBigInt()}, credit ${charlieBefore.credit} → ${charlieAfter.credit}`);

const [, bobHistory] = await api.call.auditApi.auditHistory(bob.address);
const [, charlieHistory] = await api.call.auditApi.auditHistory(charlie.address);
const last = (h) => h[h.length - 1];
if (!last(bobHistory)[1].isPassed || !last(charlieHistory)[1].isFailed) fail('audit history does not show the outcomes');

// The era closes; Bob claims: 20 % at once, the rest vesting.
const [era, share] = await run(
  'claimable',
  untilBlock(api, async () => {
    const c = await api.call.storageRewardsApi.claimable(bob.address);
    return c.length > 0 ? c[0] : undefined;
  }),
);
if (!(share.toBigInt() > 0n)) fail('Bob has no reward share');
const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
const events = await run('claim_rewards', send(api.tx.storageRewards.claimRewards(era), bob));
const claimed = events.find(({ event }) => api.events.storageRewards.RewardClaimed.is(event)).event.data;
if (claimed.amount.toBigInt() !== share.toBigInt()) fail(`claimed ${claimed.amount} ≠ claimable ${share}`);
const [, locked] = await api.call.storageRewardsApi.vesting(bob.address);
if (locked.toBigInt() === 0n) fail('nothing vesting after the claim');
// The pool is capped at the lease price of the proven storage (a few MiB here), so the share is
// small, smaller than the claim's fee: check the books, not that Bob got richer.
const feeEvent = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
if (!feeEvent) fail('no TransactionFeePaid event');
const fee = feeEvent.event.data.actualFee.toBigInt() + feeEvent.event.data.tip.toBigInt();
const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
if (after !== before - fee + claimed.immediate.toBigInt()) {
  fail(`Bob's balance ${after} ≠ ${before} − fee ${fee} + immediate ${claimed.immediate}`);
}
console.log(`era ${era}: Bob claimed ${share.toHuman()} (${claimed.immediate.toHuman()} now, ${claimed.vesting.toHuman()} vesting)`);

done();
await api.disconnect();
console.log('audit-rewards e2e: ok');
process.exit(0);
