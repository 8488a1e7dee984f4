//! The data plane between owners and miners, and between miners: two libp2p request-response
//! protocols over TCP + Noise + Yamux.
//!
//! * [`message`]: the requests and responses and their bounded wire form (fuzzed).
//! * [`codec`]: the libp2p codec.
//! * [`host`]: a running libp2p host that sends and answers requests.
//! * [`fetch`]: miners' dial information from the chain, and checked manifest/fragment fetches.

pub mod codec;
pub mod fetch;
pub mod host;
pub mod message;

pub use fetch::dial_info;
pub use host::{Host, Inbound, NetError, Reply};
pub use libp2p;
pub use message::{Refusal, Request, Response, FETCH_PROTOCOL, PUSH_PROTOCOL};
