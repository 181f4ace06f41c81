// Go's verdict on certificates, for certkey's differential harness against the TLS stacks.
//
// Reads one JSON job per line on stdin ({"id", "ca", "leaf", "key", "purpose", "at"}: PEM text,
// "server" or "client", RFC 3339) and writes one JSON verdict per line on stdout
// ({"id", "verdict": "accepts"|"refuses", "reason"}). A job is what a Go agent or target does
// with the identity: crypto/x509's Verify for the purpose at the time, then a crypto/tls
// handshake over an in-memory pipe in which the identity is the side of its purpose and the
// other side verifies it.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

type job struct {
	ID      string `json:"id"`
	CA      string `json:"ca"`
	Leaf    string `json:"leaf"`
	Key     string `json:"key"`
	Purpose string `json:"purpose"`
	At      string `json:"at"`
	// The other side's identity for the handshake (PEM certificate and key) and its CA.
	PeerCert string `json:"peer_cert"`
	PeerKey  string `json:"peer_key"`
	PeerCA   string `json:"peer_ca"`
}

type verdict struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var j job
		if err := json.Unmarshal(in.Bytes(), &j); err != nil {
			fmt.Fprintln(os.Stderr, "bad job:", err)
			os.Exit(2)
		}
		v := verdict{ID: j.ID, Verdict: "accepts"}
		if err := run(j); err != nil {
			v.Verdict, v.Reason = "refuses", err.Error()
		}
		if err := out.Encode(v); err != nil {
			os.Exit(2)
		}
	}
}

func parse(text, what string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s: no CERTIFICATE block", what)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return cert, nil
}

func run(j job) error {
	at, err := time.Parse(time.RFC3339, j.At)
	if err != nil {
		return fmt.Errorf("job: %w", err)
	}
	ca, err := parse(j.CA, "ca")
	if err != nil {
		return err
	}
	leaf, err := parse(j.Leaf, "leaf")
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	usage := x509.ExtKeyUsageServerAuth
	if j.Purpose == "client" {
		usage = x509.ExtKeyUsageClientAuth
	}
	opts := x509.VerifyOptions{Roots: roots, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{usage}}
	if _, err := leaf.Verify(opts); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	return handshake(j, at, roots, usage)
}

// handshake runs crypto/tls between the identity (on the side of its purpose) and a peer
// whose own certificate is not checked, so that only the identity's is.
func handshake(j job, at time.Time, roots *x509.CertPool, usage x509.ExtKeyUsage) error {
	identity, err := tls.X509KeyPair([]byte(j.Leaf), []byte(j.Key))
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	peer, err := tls.X509KeyPair([]byte(j.PeerCert), []byte(j.PeerKey))
	if err != nil {
		return fmt.Errorf("harness peer: %w", err)
	}
	now := func() time.Time { return at }
	server := &tls.Config{Time: now, Certificates: []tls.Certificate{peer}}
	client := &tls.Config{Time: now, Certificates: []tls.Certificate{identity}, InsecureSkipVerify: true}
	if usage == x509.ExtKeyUsageServerAuth {
		server.Certificates = []tls.Certificate{identity}
		client.Certificates = []tls.Certificate{peer}
		// No host name is compared (the bundle carries none): the chain is verified as
		// crypto/tls does, without one.
		client.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			certs := make([]*x509.Certificate, 0, len(raw))
			for _, der := range raw {
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					return err
				}
				certs = append(certs, cert)
			}
			if len(certs) == 0 {
				return errors.New("no certificate")
			}
			opts := x509.VerifyOptions{Roots: roots, CurrentTime: at,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
			_, err := certs[0].Verify(opts)
			return err
		}
	} else {
		server.ClientAuth = tls.RequireAndVerifyClientCert
		server.ClientCAs = roots
	}
	// Loopback TCP, not net.Pipe: a side that refuses writes its alert while the other may
	// still be writing, which a pipe without a buffer turns into a deadlock.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("harness: %w", err)
	}
	defer listener.Close()
	deadline := time.Now().Add(10 * time.Second)
	errs := make(chan error, 1)
	go func() {
		a, err := listener.Accept()
		if err != nil {
			errs <- err
			return
		}
		a.SetDeadline(deadline)
		c := tls.Server(a, server)
		err = c.Handshake()
		if err == nil {
			// The client's certificate is checked when the server reads its Finished.
			_, err = c.Write([]byte{0})
		}
		c.Close()
		errs <- err
	}()
	b, err := net.Dial("tcp", listener.Addr().String())
	if err != nil {
		return fmt.Errorf("harness: %w", err)
	}
	b.SetDeadline(deadline)
	c := tls.Client(b, client)
	clientErr := c.Handshake()
	if clientErr == nil {
		one := make([]byte, 1)
		_, clientErr = c.Read(one)
	}
	c.Close()
	serverErr := <-errs
	if usage == x509.ExtKeyUsageServerAuth && clientErr != nil {
		return fmt.Errorf("handshake: %w", clientErr)
	}
	if serverErr != nil {
		return fmt.Errorf("handshake: %w", serverErr)
	}
	if clientErr != nil {
		return fmt.Errorf("handshake: %w", clientErr)
	}
	return nil
}
