//! The handshake itself: both ends on the calling thread over a pair of non-blocking
//! loopback sockets, every loop iteration checking one deadline.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::server::WebPkiClientVerifier;
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::time_provider::TimeProvider;
use rustls::{
    ClientConfig, ClientConnection, Connection, Error as TlsError, RootCertStore, ServerConfig,
    ServerConnection, SupportedProtocolVersion,
};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use super::verify::{FixedTime, SourceVerifier, TargetVerifier};
use super::words::{describe_error, Failure, Side, StepLog};
use super::{HANDSHAKE_TIMEOUT, PING};

/// One handshake over one protocol version, with the application data exchange.
/// What one handshake needs: the trust anchor, both identities, the name, the clock.
pub(super) struct Peers<'a> {
    pub(super) ca: &'a [u8],
    pub(super) source_key: Arc<CertifiedKey>,
    pub(super) target_key: Arc<CertifiedKey>,
    pub(super) name: Option<ServerName<'static>>,
    pub(super) now: UnixTime,
}

pub(super) fn handshake(
    version: &'static SupportedProtocolVersion,
    peers: Peers<'_>,
) -> Result<String, Failure> {
    let Peers {
        ca,
        source_key,
        target_key,
        name,
        now,
    } = peers;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let time: Arc<dyn TimeProvider> = Arc::new(FixedTime(now));
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca.to_vec())).map_err(|e| {
        Failure::Setup(format!(
            "rustls cannot use ca as a trust anchor ({})",
            describe_error(&e)
        ))
    })?;
    let roots = Arc::new(roots);
    let setup = |e: TlsError| Failure::Setup(describe_error(&e));

    let source_verifier = Arc::new(SourceVerifier {
        inner: WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| Failure::Setup(format!("rustls cannot verify clients with ca: {e}")))?,
        steps: StepLog::new(),
    });
    let mut server_config = ServerConfig::builder_with_details(provider.clone(), time.clone())
        .with_protocol_versions(&[version])
        .map_err(setup)?
        .with_client_cert_verifier(source_verifier.clone())
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(target_key)));
    // One connection each: nothing to resume.
    server_config.send_tls13_tickets = 0;

    let target_verifier = Arc::new(TargetVerifier {
        roots,
        provider: provider.clone(),
        check_name: name.is_some(),
        steps: StepLog::new(),
    });
    let mut client_config = ClientConfig::builder_with_details(provider, time)
        .with_protocol_versions(&[version])
        .map_err(setup)?
        .dangerous()
        .with_custom_certificate_verifier(target_verifier.clone())
        .with_client_cert_resolver(Arc::new(SingleCertAndKey::from(source_key)));
    client_config.resumption = rustls::client::Resumption::disabled();

    // Without a name in the certificate, the client still needs one to start; the
    // verifier above then checks the chain only.
    let name = name.unwrap_or_else(|| ServerName::try_from("certkey.invalid").expect("valid"));
    let mut client =
        Connection::from(ClientConnection::new(Arc::new(client_config), name).map_err(setup)?);
    let mut server =
        Connection::from(ServerConnection::new(Arc::new(server_config)).map_err(setup)?);

    let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
    let (mut client_socket, mut server_socket) = loopback_pair(deadline)?;
    let result = exchange(
        &mut client,
        &mut server,
        &mut client_socket,
        &mut server_socket,
        deadline,
    );
    let step_of = |side| match side {
        Side::Client => target_verifier.steps.last(),
        Side::Server => source_verifier.steps.last(),
    };
    match result {
        Ok(()) => {
            let suite = client
                .negotiated_cipher_suite()
                .map_or_else(|| "?".to_owned(), |s| format!("{:?}", s.suite()));
            let group = client
                .negotiated_key_exchange_group()
                .map_or_else(|| "?".to_owned(), |g| format!("{:?}", g.name()));
            Ok(format!("{suite}, {group}"))
        }
        Err(Exchange::Tls(side, error)) => Err(Failure::Tls {
            side,
            step: step_of(side),
            error,
        }),
        Err(Exchange::Io(e)) => Err(Failure::Io(format!("loopback socket error: {e}"))),
        Err(Exchange::Timeout) => Err(Failure::Timeout),
        Err(Exchange::Garbled) => Err(Failure::Garbled),
    }
}

/// A connected pair of loopback sockets, both non-blocking. The listener accepts only the
/// client socket made here, never another local process that raced to the port.
pub(super) fn loopback_pair(deadline: Instant) -> Result<(TcpStream, TcpStream), Failure> {
    let unavailable = |e: io::Error| Failure::Unavailable(format!("no loopback socket: {e}"));
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(unavailable)?;
    listener.set_nonblocking(true).map_err(unavailable)?;
    let address: SocketAddr = listener.local_addr().map_err(unavailable)?;
    let client = TcpStream::connect_timeout(&address, HANDSHAKE_TIMEOUT).map_err(unavailable)?;
    let client_address = client.local_addr().map_err(unavailable)?;
    let server = loop {
        if Instant::now() >= deadline {
            return Err(Failure::Timeout);
        }
        match listener.accept() {
            Ok((stream, peer)) if peer == client_address => break stream,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(50));
            }
            Err(e) => return Err(unavailable(e)),
        }
    };
    for socket in [&client, &server] {
        socket.set_nonblocking(true).map_err(unavailable)?;
        socket.set_nodelay(true).map_err(unavailable)?;
    }
    Ok((client, server))
}

pub(super) enum Exchange {
    Tls(Side, TlsError),
    Io(io::Error),
    Timeout,
    Garbled,
}

/// Drives both connections until the handshake is complete and [`PING`] has gone to the
/// server and back, or one side fails, or the deadline passes.
pub(super) fn exchange(
    client: &mut Connection,
    server: &mut Connection,
    client_socket: &mut TcpStream,
    server_socket: &mut TcpStream,
    deadline: Instant,
) -> Result<(), Exchange> {
    client.writer().write_all(PING).map_err(Exchange::Io)?;
    let mut at_server = [0u8; PING.len()];
    let mut at_server_len = 0;
    let mut at_client = [0u8; PING.len()];
    let mut at_client_len = 0;
    let mut echoed = false;
    let mut idle = 0u32;
    loop {
        if Instant::now() >= deadline {
            return Err(Exchange::Timeout);
        }
        let mut progress = false;
        progress |= send(client, client_socket)?;
        progress |= send(server, server_socket)?;
        progress |= receive(server, server_socket, Side::Server)?;
        progress |= receive(client, client_socket, Side::Client)?;

        if !server.is_handshaking() && at_server_len < PING.len() {
            let n = read_plain(server.reader(), &mut at_server[at_server_len..])?;
            at_server_len += n;
            progress |= n > 0;
        }
        if at_server_len == PING.len() && !echoed {
            if at_server != PING {
                return Err(Exchange::Garbled);
            }
            server
                .writer()
                .write_all(&at_server)
                .map_err(Exchange::Io)?;
            echoed = true;
            progress = true;
        }
        if !client.is_handshaking() && at_client_len < PING.len() {
            let n = read_plain(client.reader(), &mut at_client[at_client_len..])?;
            at_client_len += n;
            progress |= n > 0;
        }
        if at_client_len == PING.len() {
            if at_client != PING {
                return Err(Exchange::Garbled);
            }
            client.send_close_notify();
            server.send_close_notify();
            let _ = send(client, client_socket);
            let _ = send(server, server_socket);
            return Ok(());
        }
        if progress {
            idle = 0;
        } else {
            // Loopback delivers at once: idleness is rare, and long idleness means trouble,
            // which should not cost a whole core until the deadline.
            idle += 1;
            if idle < 1_000 {
                std::thread::yield_now();
            } else {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
    }
}

/// Writes what the connection has queued; whether anything was written.
pub(super) fn send(connection: &mut Connection, socket: &mut TcpStream) -> Result<bool, Exchange> {
    let mut wrote = false;
    while connection.wants_write() {
        match connection.write_tls(socket) {
            Ok(_) => wrote = true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => return Err(Exchange::Io(e)),
        }
    }
    Ok(wrote)
}

/// Reads what arrived and processes it; a TLS error is sent to the peer as an alert first.
pub(super) fn receive(
    connection: &mut Connection,
    socket: &mut TcpStream,
    side: Side,
) -> Result<bool, Exchange> {
    match connection.read_tls(socket) {
        Ok(0) => Err(Exchange::Io(io::Error::new(
            ErrorKind::UnexpectedEof,
            "the peer closed the connection",
        ))),
        Ok(_) => match connection.process_new_packets() {
            Ok(_) => Ok(true),
            Err(error) => {
                let _ = send(connection, socket);
                Err(Exchange::Tls(side, error))
            }
        },
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(false),
        Err(e) => Err(Exchange::Io(e)),
    }
}

pub(super) fn read_plain(
    mut reader: rustls::Reader<'_>,
    buf: &mut [u8],
) -> Result<usize, Exchange> {
    match reader.read(buf) {
        Ok(n) => Ok(n),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(0),
        Err(e) => Err(Exchange::Io(e)),
    }
}
