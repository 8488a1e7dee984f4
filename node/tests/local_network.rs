//! A four-validator `local` network on loopback: every validator authors blocks and finality
//! advances; with one validator stopped finality still advances (GRANDPA tolerates one fault in
//! four); the stopped validator, restarted, catches up.

mod common;

use common::{start_local_validators, Node};
use std::time::Duration;

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// Whether a validator's log shows it sealed blocks of its own.
fn authored_blocks(node: &Node) -> usize {
	node.log().matches("Pre-sealed block for proposal").count()
}

#[test]
fn local_network_finalizes_with_one_validator_down_and_the_validator_catches_up() {
	let mut nodes = start_local_validators("", &VALIDATORS, 1);

	// Finality advances with everyone up, and every validator authors.
	nodes[0].wait_for_finalized(8, Duration::from_secs(240));
	for node in nodes.iter_mut() {
		node.wait_until(Duration::from_secs(180), "authoring a block", |n| authored_blocks(n) > 0);
	}

	// Stop one validator: the other three keep finalizing.
	nodes[3].stop();
	let finalized = nodes[0].finalized_number();
	nodes[0].wait_for_finalized(finalized + 5, Duration::from_secs(180));

	// Restart it: it imports what it missed and follows finality again.
	nodes[3].restart();
	let target = nodes[0].finalized_number();
	nodes[3].wait_for_finalized(target, Duration::from_secs(180));
	let best = nodes[0].best_number();
	nodes[3].wait_until(Duration::from_secs(120), "catching up with the best block", |n| {
		n.best_number() >= best
	});
}
