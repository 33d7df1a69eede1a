// Command go-app is a small notes product that embeds the Keyturn Go SDK: the
// license banner on every page, a site-wide admin alert from 7 days before
// expiry, read-only grace and the lock screen with its paste box. With --demo
// it makes its own vendor key and a license that expires in 31 days, and
// /demo moves its clock through the stages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"keyturn.dev/examples/go-app/demo"
	"keyturn.dev/examples/go-app/notes"
	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
)

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

type config struct {
	addr, data, trust, instanceDomain, preset string
	demo                                      bool
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:8090", "address to listen on (port 0 picks a free one)")
	flag.StringVar(&c.data, "data", "go-app-data", "folder for the notes and the license state")
	flag.BoolVar(&c.demo, "demo", false, "demo mode: own vendor key, a license expiring in 31 days, a clock moved from /demo")
	flag.StringVar(&c.preset, "preset", "appliance", "demo mode: the policy preset of the demo's licenses (appliance or subscription)")
	flag.StringVar(&c.trust, "trust", "", "the vendor's public key (<id>.public.pem) or a folder of them (not in demo mode)")
	flag.StringVar(&c.instanceDomain, "instance-domain", "", "this installation's domain, if licenses are bound to one")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "go-app:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if err := os.MkdirAll(c.data, 0o755); err != nil {
		return err
	}
	opts := client.Options{StateDir: filepath.Join(c.data, "license"), InstanceDomain: c.instanceDomain,
		Usage: func() (map[string]int64, error) { return map[string]int64{"users": 1}, nil }}
	var d *demo.Demo
	if c.demo {
		var err error
		// The only read of the system clock: where the demo's settable clock starts.
		if d, err = demo.New(time.Now().UTC().Truncate(time.Second), filepath.Join(c.data, "keys"), c.preset); err != nil {
			return err
		}
		opts.TrustedKeys, opts.Clock = d.Keys, d.Clock
		// A demo starts over: its key is new, so licenses of an earlier run would not verify anyway.
		opts.StateDir = filepath.Join(c.data, "license-demo")
		if err := os.RemoveAll(opts.StateDir); err != nil {
			return err
		}
	} else {
		if c.trust == "" {
			return errors.New("give --trust with the vendor's public key, or run with --demo")
		}
		ring := license.NewKeyRing()
		if err := ring.AddPath(c.trust); err != nil {
			return err
		}
		opts.TrustedKeys = ring
	}
	licenses, err := client.New(opts)
	if err != nil {
		return err
	}
	clock := opts.Clock
	if clock == nil {
		clock = client.SystemClock{}
	}
	store, err := notes.Open(filepath.Join(c.data, "notes.json"), clock.Now)
	if err != nil {
		return err
	}
	if d != nil {
		if err := d.Attach(licenses); err != nil {
			return err
		}
	}
	handler, err := (&App{licenses: licenses, notes: store, demo: d}).Handler()
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%v); pick another address with --addr 127.0.0.1:0", c.addr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go licenses.Run(ctx)
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		server.Shutdown(shutdown)
	}()
	fmt.Printf("Acme Notes (Go) listening on http://%s/\n", listener.Addr())
	if d != nil {
		fmt.Printf("Demo controls:  http://%s/demo\n", listener.Addr())
	}
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
