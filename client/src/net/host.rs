//! A libp2p host speaking the miner protocols: TCP + Noise + Yamux, one request-response
//! behaviour per protocol. [`Host::start`] runs the swarm on a tokio task; [`Host::request`] sends
//! a request to a peer (dialling its addresses as needed) and [`Host::respond`] answers an
//! [`Inbound`] request.

use std::{collections::HashMap, time::Duration};

use futures::StreamExt;
use libp2p::{
	identity::Keypair,
	noise,
	request_response::{self, OutboundRequestId, ProtocolSupport, ResponseChannel},
	swarm::{NetworkBehaviour, SwarmEvent},
	tcp, yamux, Multiaddr, PeerId, StreamProtocol, Swarm,
};
use tokio::sync::{mpsc, oneshot};

use super::{
	codec::MinerCodec,
	message::{Request, Response, FETCH_PROTOCOL, PUSH_PROTOCOL},
};

/// How long a request may take, the miner's check and durable write included (a 32 MiB fragment
/// on a busy miner).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// How long an idle connection stays open.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

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
}

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
			.with_max_concurrent_streams(256);
		let make = |name: &'static str| {
			request_response::Behaviour::with_codec(
				MinerCodec,
				[(StreamProtocol::new(name), support.clone())],
				config.clone(),
			)
		};
		let behaviour = Behaviour { push: make(PUSH_PROTOCOL), fetch: make(FETCH_PROTOCOL) };
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
					let behaviour = swarm.behaviour_mut();
					let sent = match reply.proto {
						Proto::Push => behaviour.push.send_response(reply.channel, response),
						Proto::Fetch => behaviour.fetch.send_response(reply.channel, response),
					};
					if sent.is_err() {
						tracing::debug!(peer = %reply.peer, "response not sent: the requester is gone");
					}
				},
			},
			event = swarm.select_next_some() => match event {
				SwarmEvent::Behaviour(BehaviourEvent::Push(event)) => {
					handle(Proto::Push, event, &mut pending, inbound.as_ref()).await
				},
				SwarmEvent::Behaviour(BehaviourEvent::Fetch(event)) => {
					handle(Proto::Fetch, event, &mut pending, inbound.as_ref()).await
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
	inbound: Option<&mpsc::Sender<Inbound>>,
) {
	use request_response::{Event, Message};
	match event {
		Event::Message { peer, message: Message::Request { request, channel, .. } } => {
			if let Some(inbound) = inbound {
				let reply = Reply { peer, channel, proto };
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
		Event::InboundFailure { peer, error, .. } => {
			tracing::debug!(%peer, %error, "inbound request failed")
		},
		Event::ResponseSent { .. } => {},
	}
}
