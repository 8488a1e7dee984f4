//! A libp2p host speaking the miner protocols: TCP + Noise + Yamux, one request-response
//! behaviour per protocol. [`Host::start`] runs the swarm on a tokio task; [`Host::request`] sends
//! a request to a peer (dialling its addresses as needed) and [`Host::respond`] answers an
//! [`Inbound`] request.

use std::{collections::HashMap, time::Duration};

use codec::Encode;
use futures::StreamExt;
use libp2p::{
	connection_limits::{self, ConnectionLimits},
	identity::Keypair,
	noise,
	request_response::{
		self, InboundRequestId, OutboundRequestId, ProtocolSupport, ResponseChannel,
	},
	swarm::{NetworkBehaviour, SwarmEvent},
	tcp, yamux, Multiaddr, PeerId, StreamProtocol, Swarm,
};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use super::{
	codec::MinerCodec,
	message::{Refusal, Request, Response, FETCH_PROTOCOL, PUSH_PROTOCOL},
};

/// How long a request may take, the miner's check and durable write included (a 32 MiB fragment
/// on a busy miner).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// How long an idle connection stays open.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Connections peers may hold open to this host at once.
pub const MAX_INBOUND_CONNECTIONS: u32 = 128;
/// Connections being set up (TCP accepted, handshake not done) at once.
pub const MAX_PENDING_INBOUND: u32 = 32;
/// Connections one peer may hold at once.
pub const MAX_CONNECTIONS_PER_PEER: u32 = 4;
/// Requests one connection may have open at once, per protocol.
pub const MAX_STREAMS_PER_CONNECTION: usize = 16;
/// Bytes of answers being sent at once (a peer that asks for fragments and reads slowly holds
/// its answers until they are sent or time out); an answer that finds no room is a refusal
/// (`Unavailable`: retry).
pub const RESPONSE_BUDGET_BYTES: usize = 128 << 20;

/// Why a request got no answer.
#[derive(Clone, Debug, thiserror::Error)]
pub enum NetError {
	/// The peer could not be reached or the request failed on the way.
	#[error("miner {peer} did not answer: {reason}")]
	Unreachable {
		/// The peer.
		peer: PeerId,
		/// What libp2p reported.
		reason: String,
	},
	/// Listening on an address failed.
	#[error("cannot listen on {addr}: {reason} (is the port in use?)")]
	Listen {
		/// The address.
		addr: Multiaddr,
		/// Why.
		reason: String,
	},
	/// The host task stopped.
	#[error("the network task stopped")]
	Stopped,
}

#[derive(NetworkBehaviour)]
#[behaviour(prelude = "libp2p::swarm::derive_prelude")]
struct Behaviour {
	limits: connection_limits::Behaviour,
	push: request_response::Behaviour<MinerCodec>,
	fetch: request_response::Behaviour<MinerCodec>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Proto {
	Push,
	Fetch,
}

/// A request from a peer, to be answered with [`Host::respond`] and its `reply`.
pub struct Inbound {
	/// Who asked.
	pub peer: PeerId,
	/// What it asked.
	pub request: Request,
	/// Where the answer goes.
	pub reply: Reply,
}

/// Where the answer to an [`Inbound`] request goes.
pub struct Reply {
	peer: PeerId,
	channel: ResponseChannel<Response>,
	proto: Proto,
	id: InboundRequestId,
}

/// Room taken by answers being sent, by request.
type Sending = HashMap<(Proto, InboundRequestId), OwnedSemaphorePermit>;

enum Command {
	Request {
		peer: PeerId,
		addrs: Vec<Multiaddr>,
		request: Request,
		reply: oneshot::Sender<Result<Response, NetError>>,
	},
	Respond {
		reply: Reply,
		response: Response,
	},
}

/// A handle on the running host; cheap to clone.
#[derive(Clone)]
pub struct Host {
	commands: mpsc::UnboundedSender<Command>,
	peer_id: PeerId,
	listen_addrs: Vec<Multiaddr>,
}

impl Host {
	/// Starts a host with `keypair`. With `inbound`, it listens on `listen` and hands every
	/// request it receives to that channel; without, it only sends requests.
	pub async fn start(
		keypair: Keypair,
		listen: &[Multiaddr],
		inbound: Option<mpsc::Sender<Inbound>>,
	) -> Result<Host, NetError> {
		let support =
			if inbound.is_some() { ProtocolSupport::Full } else { ProtocolSupport::Outbound };
		let config = request_response::Config::default()
			.with_request_timeout(REQUEST_TIMEOUT)
			.with_max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
		let make = |name: &'static str| {
			request_response::Behaviour::with_codec(
				MinerCodec::default(),
				[(StreamProtocol::new(name), support.clone())],
				config.clone(),
			)
		};
		// Bounded memory under a flood of peers: connections, streams per connection, and (in
		// the codec) the bytes of inbound requests being read.
		let limits = connection_limits::Behaviour::new(
			ConnectionLimits::default()
				.with_max_established_incoming(Some(MAX_INBOUND_CONNECTIONS))
				.with_max_pending_incoming(Some(MAX_PENDING_INBOUND))
				.with_max_established_per_peer(Some(MAX_CONNECTIONS_PER_PEER)),
		);
		let behaviour =
			Behaviour { limits, push: make(PUSH_PROTOCOL), fetch: make(FETCH_PROTOCOL) };
		let mut swarm = libp2p::SwarmBuilder::with_existing_identity(keypair)
			.with_tokio()
			.with_tcp(
				tcp::Config::default().nodelay(true),
				noise::Config::new,
				yamux::Config::default,
			)
			.map_err(|e| NetError::Listen { addr: Multiaddr::empty(), reason: e.to_string() })?
			.with_behaviour(|_| behaviour)
			.expect("the behaviour is built infallibly; qed")
			.with_swarm_config(|c| c.with_idle_connection_timeout(IDLE_TIMEOUT))
			.build();
		let peer_id = *swarm.local_peer_id();
		let mut listen_addrs = Vec::new();
		for addr in listen {
			listen_addrs.push(listen_on(&mut swarm, addr.clone()).await?);
		}
		let (commands, receiver) = mpsc::unbounded_channel();
		tokio::spawn(run(swarm, receiver, inbound));
		Ok(Host { commands, peer_id, listen_addrs })
	}

	/// This host's peer id.
	pub fn peer_id(&self) -> PeerId {
		self.peer_id
	}

	/// The addresses it listens on (ports resolved).
	pub fn listen_addrs(&self) -> &[Multiaddr] {
		&self.listen_addrs
	}

	/// Sends `request` to `peer`, dialling `addrs` if not connected, and waits for the answer.
	pub async fn request(
		&self,
		peer: PeerId,
		addrs: Vec<Multiaddr>,
		request: Request,
	) -> Result<Response, NetError> {
		let (reply, answer) = oneshot::channel();
		self.commands
			.send(Command::Request { peer, addrs, request, reply })
			.map_err(|_| NetError::Stopped)?;
		answer.await.map_err(|_| NetError::Stopped)?
	}

	/// Answers the request `reply` came with.
	pub fn respond(&self, reply: Reply, response: Response) {
		let _ = self.commands.send(Command::Respond { reply, response });
	}
}

async fn listen_on(swarm: &mut Swarm<Behaviour>, addr: Multiaddr) -> Result<Multiaddr, NetError> {
	let fail = |reason: String| NetError::Listen { addr: addr.clone(), reason };
	let id = swarm.listen_on(addr.clone()).map_err(|e| fail(e.to_string()))?;
	loop {
		match swarm.select_next_some().await {
			SwarmEvent::NewListenAddr { listener_id, address } if listener_id == id => {
				return Ok(address)
			},
			SwarmEvent::ListenerClosed { listener_id, reason, .. } if listener_id == id => {
				return Err(fail(format!("{reason:?}")))
			},
			SwarmEvent::ListenerError { listener_id, error } if listener_id == id => {
				return Err(fail(error.to_string()))
			},
			_ => {},
		}
	}
}

type Pending = HashMap<(Proto, OutboundRequestId), oneshot::Sender<Result<Response, NetError>>>;

async fn run(
	mut swarm: Swarm<Behaviour>,
	mut commands: mpsc::UnboundedReceiver<Command>,
	inbound: Option<mpsc::Sender<Inbound>>,
) {
	let mut pending: Pending = HashMap::new();
	let mut sending: Sending = HashMap::new();
	let room = Arc::new(Semaphore::new(RESPONSE_BUDGET_BYTES / 1024));
	loop {
		tokio::select! {
			command = commands.recv() => match command {
				None => return,
				Some(Command::Request { peer, addrs, request, reply }) => {
					for addr in addrs {
						swarm.add_peer_address(peer, addr);
					}
					let (proto, id) = if request.protocol() == PUSH_PROTOCOL {
						(Proto::Push, swarm.behaviour_mut().push.send_request(&peer, request))
					} else {
						(Proto::Fetch, swarm.behaviour_mut().fetch.send_request(&peer, request))
					};
					pending.insert((proto, id), reply);
				},
				Some(Command::Respond { reply, response }) => {
					let units = u32::try_from(response.encoded_size().div_ceil(1024).max(1))
						.unwrap_or(u32::MAX);
					let response = match room.clone().try_acquire_many_owned(units) {
						Ok(permit) => {
							sending.insert((reply.proto, reply.id), permit);
							response
						},
						Err(_) => Response::refused(
							Refusal::Unavailable,
							"busy: too many answers are being sent; retry shortly",
						),
					};
					let behaviour = swarm.behaviour_mut();
					let sent = match reply.proto {
						Proto::Push => behaviour.push.send_response(reply.channel, response),
						Proto::Fetch => behaviour.fetch.send_response(reply.channel, response),
					};
					if sent.is_err() {
						sending.remove(&(reply.proto, reply.id));
						tracing::debug!(peer = %reply.peer, "response not sent: the requester is gone");
					}
				},
			},
			event = swarm.select_next_some() => match event {
				SwarmEvent::Behaviour(BehaviourEvent::Push(event)) => {
					handle(Proto::Push, event, &mut pending, &mut sending, inbound.as_ref()).await
				},
				SwarmEvent::Behaviour(BehaviourEvent::Fetch(event)) => {
					handle(Proto::Fetch, event, &mut pending, &mut sending, inbound.as_ref()).await
				},
				SwarmEvent::IncomingConnectionError { error, send_back_addr, .. } => {
					tracing::debug!(%send_back_addr, %error, "incoming connection failed")
				},
				_ => {},
			},
		}
	}
}

async fn handle(
	proto: Proto,
	event: request_response::Event<Request, Response>,
	pending: &mut Pending,
	sending: &mut Sending,
	inbound: Option<&mpsc::Sender<Inbound>>,
) {
	use request_response::{Event, Message};
	match event {
		Event::Message { peer, message: Message::Request { request, channel, request_id } } => {
			if let Some(inbound) = inbound {
				let reply = Reply { peer, channel, proto, id: request_id };
				let _ = inbound.send(Inbound { peer, request, reply }).await;
			}
		},
		Event::Message { message: Message::Response { request_id, response }, .. } => {
			if let Some(reply) = pending.remove(&(proto, request_id)) {
				let _ = reply.send(Ok(response));
			}
		},
		Event::OutboundFailure { peer, request_id, error } => {
			if let Some(reply) = pending.remove(&(proto, request_id)) {
				let _ = reply.send(Err(NetError::Unreachable { peer, reason: error.to_string() }));
			}
		},
		Event::InboundFailure { peer, error, request_id } => {
			sending.remove(&(proto, request_id));
			tracing::debug!(%peer, %error, "inbound request failed")
		},
		Event::ResponseSent { request_id, .. } => {
			sending.remove(&(proto, request_id));
		},
	}
}
