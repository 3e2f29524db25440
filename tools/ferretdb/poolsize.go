package main

// FerretDB v1.24's PostgreSQL backend can deadlock on its own connection pool: an update
// command keeps one pooled connection while it reads the documents to change, and takes a
// second one for the transaction that writes them (common.UpdateDocument -> pool.InTransaction).
// With as many concurrent updates as the pool has connections (50 upstream), every connection
// is held by a reader waiting for a writer's connection, and every command after that waits
// for good. Seen here in the bench's Start Chat race: 50 goroutines in InTransaction, about a
// thousand behind them, PostgreSQL idle.
//
// The pool here is sized so that the clients' own connection limits keep clear of that: each
// product node opens at most 20 connections (maxPoolSize in server/src/store/mongo.ts), and an
// update holds at most two pooled connections, so a pool of 200 serves five nodes with every
// connection updating at once. The PostgreSQL cluster must allow that many connections
// (max_connections 250 in the launchers).

import (
	"fmt"
	"net/url"
	"strings"
)

// poolMaxConns is the FerretDB pool size unless -postgresql-url sets pool_max_conns itself.
const poolMaxConns = "200"

// withPoolSize returns rawURL with pool_max_conns set, unless it is set already. Only the
// FerretDB pool reads it: a plain pgx connection would send it to the server as a setting.
func withPoolSize(rawURL string) (string, error) {
	if !strings.HasPrefix(rawURL, "postgres://") && !strings.HasPrefix(rawURL, "postgresql://") {
		if strings.Contains(rawURL, "pool_max_conns") {
			return rawURL, nil
		}
		return rawURL + " pool_max_conns=" + poolMaxConns, nil // keyword/value form
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("bad -postgresql-url: %w", err)
	}
	q := u.Query()
	if q.Get("pool_max_conns") == "" {
		q.Set("pool_max_conns", poolMaxConns)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
