package main

// FerretDB v1.24's PostgreSQL backend pushes an equality filter such as {login: "ann"} down as
//
//	WHERE _jsonb->'login' @> '"ann"'
//
// (containment, so that a filter value also matches an array holding it, as in MongoDB), but
// createIndex builds a B-tree on the expression (_jsonb->'login'). A B-tree serves =, <, >
// and never @>, so every equality lookup scans the whole table, _id lookups included
// (only the UPDATE and DELETE that follow a lookup use `_jsonb->'_id' = $1`).
//
// Here every B-tree index FerretDB creates on top-level fields gets a companion GIN index
// (jsonb_path_ops) on the same expressions, which serves @>. An event trigger in the
// FerretDB database creates it in the same transaction as its B-tree, so it exists when
// createIndex (or the implicit _id index of a new collection) returns, and drops it with
// dropIndexes; a dropped collection or database takes it along with its table. FerretDB does
// not know about these indexes: they are not listed by listIndexes and only change query plans.
// Unique indexes stay FerretDB's B-trees, so duplicate keys still fail with code 11000.
//
// The trigger needs a superuser (the project's private cluster runs FerretDB as one); without
// it the tool logs a warning and FerretDB runs as upstream.
//
// FerretDB prepares its statements with the field name as a parameter (_jsonb->$1 @> $2); a
// generic plan cannot match an expression index, so the connection asks for custom plans
// (plan_cache_mode=force_custom_plan) instead of letting PostgreSQL settle on a generic one
// while a table is still small.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const companionPrefix = "fdbtool_gin_"

// The functions live in the public schema, which FerretDB never uses as a database
// (it maps MongoDB databases to schemas of their own name; "public" is refused as a name).
const ginTriggerSQL = `
CREATE OR REPLACE FUNCTION public.fdbtool_add_gin_companion(idx oid) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  ix pg_index;
  am text;
  nsp text;
  iname text;
  tbl text;
  expr text;
  cols text[] := '{}';
BEGIN
  SELECT * INTO ix FROM pg_index WHERE indexrelid = idx;
  IF NOT FOUND OR ix.indexprs IS NULL THEN
    RETURN;
  END IF;
  SELECT a.amname, n.nspname, c.relname INTO am, nsp, iname
    FROM pg_class c JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = idx;
  IF am IS DISTINCT FROM 'btree' OR nsp IN ('pg_catalog', 'information_schema', 'public') THEN
    RETURN;
  END IF;
  SELECT relname INTO tbl FROM pg_class WHERE oid = ix.indrelid;
  FOR k IN 1..ix.indnkeyatts LOOP
    expr := pg_get_indexdef(idx, k, false);
    -- Only top-level fields: nested ones are filtered with #> and never pushed down as ->.
    IF expr !~ '^\(*_jsonb -> ''[^'']*''::text\)*$' THEN
      RETURN;
    END IF;
    cols := cols || ('(' || expr || ') jsonb_path_ops');
  END LOOP;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s)',
    '` + companionPrefix + `' || md5(nsp || '.' || iname), nsp, tbl, array_to_string(cols, ', '));
END
$fn$;

CREATE OR REPLACE FUNCTION public.fdbtool_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands()
             WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    PERFORM public.fdbtool_add_gin_companion(cmd.objid);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION public.fdbtool_on_drop_index() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  obj record;
BEGIN
  -- original: dropped by DROP INDEX itself; an index dropped with its table takes its companion along.
  FOR obj IN SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects()
             WHERE object_type = 'index' AND original AND object_name IS NOT NULL
               AND object_name NOT LIKE '` + companionPrefix + `%' LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', obj.schema_name,
      '` + companionPrefix + `' || md5(obj.schema_name || '.' || obj.object_name));
  END LOOP;
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'fdbtool_gin_create') THEN
    CREATE EVENT TRIGGER fdbtool_gin_create ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION public.fdbtool_on_create_index();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'fdbtool_gin_drop') THEN
    CREATE EVENT TRIGGER fdbtool_gin_drop ON sql_drop WHEN TAG IN ('DROP INDEX')
      EXECUTE FUNCTION public.fdbtool_on_drop_index();
  END IF;
END
$do$;

-- Indexes created before the trigger existed (or while it was switched off).
SELECT public.fdbtool_add_gin_companion(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'pg_toast')
  AND c.relname NOT LIKE '` + companionPrefix + `%';
`

const ginTriggerDropSQL = `
DROP EVENT TRIGGER IF EXISTS fdbtool_gin_create;
DROP EVENT TRIGGER IF EXISTS fdbtool_gin_drop;
`

// preparePostgreSQL creates the URL's database when missing, installs (or, with gin false,
// removes) the GIN companion trigger, and returns the URL FerretDB should use.
func preparePostgreSQL(ctx context.Context, rawURL string, gin bool, logger *slog.Logger) (string, error) {
	pgURL, err := withCustomPlans(rawURL)
	if err != nil {
		return "", err
	}
	config, err := pgx.ParseConfig(pgURL)
	if err != nil {
		return "", fmt.Errorf("bad -postgresql-url: %w", err)
	}

	conn, err := pgx.ConnectConfig(ctx, config)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "3D000" { // invalid_catalog_name
		if err = createDatabase(ctx, config); err != nil {
			return "", err
		}
		conn, err = pgx.ConnectConfig(ctx, config)
	}
	if err != nil {
		return "", fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())

	var superuser bool
	if err = conn.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).
		Scan(&superuser); err != nil {
		return "", fmt.Errorf("check PostgreSQL role: %w", err)
	}
	switch {
	case !superuser:
		logger.Warn("not a PostgreSQL superuser: equality filters will not use indexes (see ginindex.go)")
	case gin:
		if _, err = conn.Exec(ctx, ginTriggerSQL); err != nil {
			return "", fmt.Errorf("install GIN companion trigger: %w", err)
		}
	default:
		if _, err = conn.Exec(ctx, ginTriggerDropSQL); err != nil {
			return "", fmt.Errorf("remove GIN companion trigger: %w", err)
		}
	}
	return withPoolSize(pgURL)
}

func createDatabase(ctx context.Context, config *pgx.ConnConfig) error {
	admin := config.Copy()
	admin.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL to create database %q: %w", config.Database, err)
	}
	defer conn.Close(context.Background())
	// FerretDB accepts only UTF8 and the C/POSIX/en_US collations.
	_, err = conn.Exec(ctx, fmt.Sprintf(
		`CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
		pgx.Identifier{config.Database}.Sanitize()))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", config.Database, err)
	}
	return nil
}

// withCustomPlans adds plan_cache_mode=force_custom_plan to a postgres:// URL (pgx sends unknown
// URL parameters as run-time settings) unless the URL sets plan_cache_mode itself.
func withCustomPlans(rawURL string) (string, error) {
	if !strings.HasPrefix(rawURL, "postgres://") && !strings.HasPrefix(rawURL, "postgresql://") {
		if strings.Contains(rawURL, "plan_cache_mode") {
			return rawURL, nil
		}
		return rawURL + " plan_cache_mode=force_custom_plan", nil // keyword/value form
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("bad -postgresql-url: %w", err)
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
