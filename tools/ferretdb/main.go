// Command ferretdb runs FerretDB v1 (a MongoDB wire-compatible database on
// PostgreSQL or SQLite) for local development and CI, where MongoDB itself cannot be
// installed. It wraps the embeddable package because the upstream
// cmd/ferretdb binary panics when built from the module (its version file is
// generated at release time).
//
// Usage:
//
//	ferretdb -listen 127.0.0.1:27017 -data-dir .data/ferretdb [-log-level warn] [-stop-on-stdin-close] [-id-indexes=false]
//	ferretdb -listen 127.0.0.1:27017 -handler postgresql -postgresql-url 'postgres://postgres@/ferretdb?host=/run/pg' [-gin-indexes=false]
//
// With -handler postgresql the database named in the URL is created when missing, and
// equality lookups get GIN companions of every index (see ginindex.go).
//
// Once the listener accepts connections it prints exactly one line to stdout:
//
//	ready mongodb://127.0.0.1:PORT/
//
// Port 0 picks a free port; the ready line then shows the real one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	listenAddr := flag.String("listen", "127.0.0.1:27017", "loopback TCP address to listen on (port 0 picks a free one)")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	dataDir := flag.String("data-dir", "", "directory for the SQLite databases (created if missing); sqlite handler only")
	postgresqlURL := flag.String("postgresql-url", "",
		"PostgreSQL connection string, e.g. postgres://postgres@/ferretdb?host=/socket/dir; postgresql handler only")
	ginIndexes := flag.Bool("gin-indexes", true,
		"give every index a GIN companion that FerretDB's PostgreSQL equality filters can use (see ginindex.go); "+
			"false shows the upstream behaviour")
	// Default error: at warn FerretDB logs every failed command (e.g. duplicate keys) with a dump.
	logLevelName := flag.String("log-level", "error", "log level: debug, info, warn or error")
	idIndexes := flag.Bool("id-indexes", true,
		"index _id the way FerretDB's SQLite queries look it up (see idindex.go); false shows the upstream behaviour")
	stopOnStdinClose := flag.Bool("stop-on-stdin-close", false,
		"shut down when stdin reaches EOF (a parent holding a pipe to it has exited)")
	flag.Parse()

	switch *handler {
	case "sqlite":
		if *dataDir == "" {
			return errors.New("-data-dir is required with -handler sqlite")
		}
	case "postgresql":
		if *postgresqlURL == "" {
			return errors.New("-postgresql-url is required with -handler postgresql")
		}
	default:
		return fmt.Errorf("bad -handler %q: want sqlite or postgresql", *handler)
	}
	if err := requireLoopback(*listenAddr); err != nil {
		return err
	}

	var logLevel slog.Level
	if err := logLevel.UnmarshalText([]byte(*logLevelName)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", *logLevelName, err)
	}
	// Logs go to stderr so stdout carries only the ready line that callers wait for.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	config := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:   logger,
		Handler:  *handler,
	}
	var absDataDir string
	if *handler == "sqlite" {
		var err error
		if absDataDir, err = filepath.Abs(*dataDir); err != nil {
			return fmt.Errorf("resolve -data-dir: %w", err)
		}
		if err := os.MkdirAll(absDataDir, 0o755); err != nil {
			return fmt.Errorf("create -data-dir: %w", err)
		}
		// The sqlite handler wants a file: URI naming a directory, with a trailing slash.
		config.SQLiteURL = (&url.URL{Scheme: "file", Path: absDataDir + "/"}).String()
	} else {
		pgURL, err := preparePostgreSQL(ctx, *postgresqlURL, *ginIndexes, logger)
		if err != nil {
			return err
		}
		config.PostgreSQLURL = pgURL
	}

	// New binds the listener; the embeddable package keeps telemetry disabled and locked.
	instance, err := ferretdb.New(&config)
	if err != nil {
		return err
	}

	if *stopOnStdinClose {
		// A parent killed with SIGKILL cannot stop us, but its end of the pipe still closes.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- instance.Run(ctx) }()

	if *idIndexes && *handler == "sqlite" {
		go keepIDIndexes(ctx, absDataDir, 200*time.Millisecond, logger)
	}

	// MongoDBURI blocks until Run has started accepting on the TCP listener.
	fmt.Println("ready " + instance.MongoDBURI())

	// Run returns after ctx is cancelled and all connections and the backend are closed.
	return <-done
}

// requireLoopback refuses non-loopback addresses: this tool is for local use only
// and must never be reachable from other hosts.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad -listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q must be a loopback address such as 127.0.0.1", addr)
	}
	return nil
}
