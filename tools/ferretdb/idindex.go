package main

// FerretDB v1.24's SQLite backend answers a filter of exactly {_id: <string or ObjectId>}
// with `WHERE _ferretdb_sjson->'$._id' = ?`, but builds each collection's unique _id index on
// `_ferretdb_sjson->"_id"`. SQLite uses an index on an expression only when the query writes
// the expression the same way, so every lookup, update and delete by _id scans the whole
// collection (EXPLAIN QUERY PLAN says SCAN instead of SEARCH ... USING INDEX).
//
// keepIDIndexes adds, next to FerretDB's own index, a plain index on the expression its
// queries use, for every collection table of every database in the data directory, and
// keeps doing so as collections are created. FerretDB does not know about these indexes:
// they are not listed by listIndexes, go away with their table when a collection or
// database is dropped, and change nothing but the query plan.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the same database/sql driver FerretDB registers
)

const idIndexSuffix = "__id_lookup"

// keepIDIndexes checks the data directory every interval until ctx is done.
func keepIDIndexes(ctx context.Context, dataDir string, interval time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dataDir, "*.sqlite"))
		for _, file := range files {
			if err := addIDIndexes(ctx, file); err != nil {
				// A database dropped or busy right now: the next round tries again.
				logger.Debug("id index check failed", slog.String("file", file), slog.Any("error", err))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// addIDIndexes creates the missing lookup indexes of one database file. A database that
// has all of them is only read, so FerretDB's writers are not held up.
func addIDIndexes(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	// mode=rw: never create a database file FerretDB has just removed.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (
			SELECT 1 FROM sqlite_master m
			WHERE m.type = 'index' AND m.name = c.table_name || '`+idIndexSuffix+`'
		)`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil // a database FerretDB has not finished creating
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, table := range tables {
		// Written exactly as FerretDB's queries write it (metadata.IDColumn).
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`,
			table+idIndexSuffix, table)
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}
